"""References are found however a citizen copies them, and never in ordinary words."""

import pytest

from bot.tasks.references import find_reference


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("JS-7K2M9QXA", "JS-7K2M9QXA"),
        ("waar staat js-7k2m9qxa?", "JS-7K2M9QXA"),
        ("DR4TQ8ZP1M", "DR-4TQ8ZP1M"),
        ("dr 4tq8zp1m svp", "DR-4TQ8ZP1M"),
        ("q-8h3kd0wx", "Q-8H3KD0WX"),
        ("JS-ABCDEFGH", "JS-ABCDEFGH"),  # with its dash, a code of letters only is fine
    ],
)
def test_a_reference_is_found_and_written_the_canonical_way(typed: str, found: str) -> None:
    assert find_reference(typed) == found


@pytest.mark.parametrize(
    "typed",
    ["I am qualified", "Qualified", "DR-4TQ8ZP1", "JS-7K2M9QXAB", "JS-7K2M-9QXA", "12345678", ""],
)
def test_nothing_else_is_taken_for_a_reference(typed: str) -> None:
    assert find_reference(typed) is None

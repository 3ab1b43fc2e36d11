"""References: found however a citizen copies them, always written the canonical way,
never made up from ordinary words; the canonical form is found again as itself."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.tasks.references import find_reference
from tests.unit.strategies import PROFILE, hostile_text, huge_text

CANONICAL = re.compile(r"(JS|DR|Q)-[A-Z0-9]{8}")
kinds = st.sampled_from(["JS", "DR", "Q"])
codes = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=8, max_size=8)
around = st.sampled_from(
    [("", ""), ("waar staat ", "?"), ("ma référence: ", "."), ("(", ")"), ("ref ", " svp"),
     ("\n", "\n"), ("«", "»"), ("my reference is ", "!")]
)  # fmt: skip


def casing(text: str, how: str) -> str:
    return {"upper": text.upper(), "lower": text.lower(), "title": text.title()}[how]


@PROFILE
@given(
    kind=kinds,
    code=codes,
    joint=st.sampled_from(["-", " ", ""]),
    how=st.sampled_from(["upper", "lower", "title"]),
    context=around,
)
def test_a_reference_is_found_however_it_is_typed(
    kind: str, code: str, joint: str, how: str, context: tuple[str, str]
) -> None:
    typed = casing(f"{kind}{joint}{code}", how)
    found = find_reference(f"{context[0]}{typed}{context[1]}")
    if joint == "-" or any(ch.isdigit() for ch in code):
        assert found == f"{kind}-{code}"
    else:  # without the dash, a code of letters only could be a word ("qualified")
        assert found is None


@PROFILE
@given(text=hostile_text())
def test_what_is_found_is_canonical_and_found_again(text: str) -> None:
    found = find_reference(text)
    if found is not None:
        assert CANONICAL.fullmatch(found), found
        assert find_reference(found) == found
        assert find_reference(found.lower()) == found


@PROFILE
@given(word=st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=30))
def test_ordinary_words_are_never_references(word: str) -> None:
    assert find_reference(word) is None
    assert find_reference(f"ik ben {word} en {word.upper()}") is None


@PROFILE
@given(text=huge_text())
def test_long_texts_are_read_without_error(text: str) -> None:
    found = find_reference(text)
    assert found is None or CANONICAL.fullmatch(found)


@PROFILE
@given(
    kind=kinds,
    code=codes,
    lookalike=st.sampled_from(["ı", "İ", "ſ", "\u212a"]),  # match [A-Z] under IGNORECASE
    position=st.integers(min_value=0, max_value=7),
)
def test_letters_that_only_look_like_ascii_are_no_reference(
    kind: str, code: str, lookalike: str, position: int
) -> None:
    typed = f"{kind}-{code[:position]}{lookalike}{code[position + 1 :]}"
    assert find_reference(typed) is None

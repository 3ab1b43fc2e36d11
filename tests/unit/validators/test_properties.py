"""Properties every validator shares, whatever a stranger types.

- it never raises, on any string (control characters, lone surrogates, bidirectional
  overrides, emoji, other scripts, hundreds of thousands of characters), None or a
  non-string, and returns a well-formed result with one of its documented error codes;
- invisible formatting characters never change its answer;
- what it accepts holds no control, invisible or surrogate character, and accepting the
  accepted value again gives the same value.

The properties of each validator's own values are in test_<validator>_properties.py.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.validators import (
    ValidationResult,
    is_blank_or_noise,
    masked_national_number,
    parse_birth_date,
    remove_invisible,
    validate_email,
    validate_name,
    validate_national_number,
    validate_phone,
    validate_postcode,
)
from tests.unit.strategies import (
    INVISIBLE,
    PROFILE,
    QUICK,
    hostile_text,
    huge_text,
    invisible_marks,
    positions,
    with_invisible_marks,
)

TODAY = date(2025, 6, 1)

VALIDATORS: dict[str, tuple[Callable[[Any], ValidationResult], set[str]]] = {
    "national_number": (
        partial(validate_national_number, today=TODAY),
        {"empty", "format", "checksum", "birth_date", "future"},
    ),
    "birth_date_nl": (
        partial(parse_birth_date, language="nl", today=TODAY),
        {"empty", "format", "impossible", "future", "too_young", "too_old"},
    ),
    "birth_date_unknown_language": (
        partial(parse_birth_date, language="xx", today=TODAY),
        {"empty", "format", "impossible", "future", "too_young", "too_old"},
    ),
    "postcode": (validate_postcode, {"empty", "format", "unknown"}),
    "phone": (validate_phone, {"empty", "format", "invalid", "not_belgian"}),
    "email": (validate_email, {"empty", "format", "typo"}),
    "email_no_typo_check": (
        partial(validate_email, check_typos=False),
        {"empty", "format", "typo"},
    ),
    "name": (validate_name, {"empty", "digits", "symbols", "too_long", "too_short", "sentence"}),
}
NAMES = sorted(VALIDATORS)


def well_formed(name: str, result: ValidationResult) -> None:
    codes = VALIDATORS[name][1]
    assert isinstance(result, ValidationResult)
    if result.ok:
        assert result.error is None
    else:
        assert result.error in codes, (name, result)
        assert result.value is None


def clean_value(value: Any) -> None:
    """An accepted text value holds nothing invisible, no control and no surrogate."""
    if isinstance(value, str):
        assert remove_invisible(value) == value
        assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value), value


@pytest.mark.parametrize("name", NAMES)
@PROFILE
@given(text=hostile_text())
def test_any_text_gives_a_well_formed_answer(name: str, text: str) -> None:
    validate = VALIDATORS[name][0]
    result = validate(text)
    well_formed(name, result)
    if result.ok:
        clean_value(result.value)
        if isinstance(result.value, str):  # dates: test_date_properties.py
            again = validate(result.value)
            assert again.ok and again.value == result.value, (text, result, again)


@pytest.mark.parametrize("name", NAMES)
@QUICK
@given(text=huge_text())
def test_huge_texts_are_refused_quickly(name: str, text: str) -> None:
    # Each validator has an input limit far below these lengths.
    result = VALIDATORS[name][0](text)
    well_formed(name, result)
    assert not result.ok


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", [None, 42, 3.5, b"9000", ["9000"], {"a": 1}, True])
def test_what_is_not_a_string_is_empty(name: str, value: Any) -> None:
    assert VALIDATORS[name][0](value).error == "empty"


@pytest.mark.parametrize("name", NAMES)
@PROFILE
@given(text=hostile_text(max_size=60), marks=invisible_marks, where=positions)
def test_invisible_marks_never_change_the_answer(
    name: str, text: str, marks: list[str], where: list[int]
) -> None:
    validate = VALIDATORS[name][0]
    marked = with_invisible_marks(text, marks, where)
    assert validate(marked) == validate(remove_invisible(text))


@PROFILE
@given(text=hostile_text())
def test_noise_and_masking_never_raise(text: str) -> None:
    assert isinstance(is_blank_or_noise(text), bool)
    masked = masked_national_number(text)
    assert masked.startswith("••.••.••-•••.")
    assert len(masked) == len("••.••.••-•••.28")


@pytest.mark.parametrize("mark", INVISIBLE)
def test_a_text_of_invisible_marks_only_is_empty(mark: str) -> None:
    for name in NAMES:
        assert VALIDATORS[name][0](mark * 3).error == "empty", name


@PROFILE
@given(st.data())
def test_remove_invisible_removes_only_invisible_marks(data: st.DataObject) -> None:
    text = data.draw(hostile_text(max_size=40))
    marks = data.draw(invisible_marks)
    where = data.draw(positions)
    cleaned = remove_invisible(text)
    assert remove_invisible(cleaned) == cleaned
    assert remove_invisible(with_invisible_marks(cleaned, marks, where)) == cleaned
    assert [ch for ch in text if ch not in INVISIBLE] == list(cleaned)

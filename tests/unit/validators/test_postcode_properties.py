"""Postcodes: every Belgian postcode is found however it is written, with its agency;
four digits that are no postcode are "unknown"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.geo import all_postcodes, area_for_postcode
from bot.validators import validate_postcode
from tests.unit.strategies import PROFILE, hostile_text

POSTCODES = all_postcodes()
shapes = st.sampled_from(
    ["{}", "B-{}", "BE{}", "B {}", "{} Gent", "postcode {}", "{}, Bruxelles", " {}\n", "({})"]
)


@PROFILE
@given(postcode=st.sampled_from(POSTCODES), shape=shapes, digits=st.sampled_from(["0", "٠", "０"]))
def test_every_postcode_is_found_however_it_is_written(
    postcode: str, shape: str, digits: str
) -> None:
    typed = "".join(chr(ord(digits) + int(ch)) for ch in postcode)
    text = shape.format(typed)
    result = validate_postcode(text)
    assert result.ok, (text, result)
    assert result.value == postcode
    area = area_for_postcode(postcode)
    assert result.details["agency"] == area.agency
    assert result.details["region"] == area.region
    assert result.details["municipalities"]
    assert validate_postcode(result.value) == result


@PROFILE
@given(number=st.integers(min_value=0, max_value=9999))
def test_four_digits_are_a_postcode_or_unknown(number: int) -> None:
    code = f"{number:04d}"
    result = validate_postcode(code)
    if code in POSTCODES:
        assert result.ok and result.value == code
    else:
        assert (result.error, result.details["postcode"]) == ("unknown", code)


@PROFILE
@given(first=st.sampled_from(POSTCODES), second=st.sampled_from(POSTCODES))
def test_two_different_postcodes_are_ambiguous(first: str, second: str) -> None:
    result = validate_postcode(f"{first} of {second}")
    if first == second:
        assert result.value == first
    else:
        assert result.error == "format"
        assert set(result.details["candidates"]) == {first, second}


@PROFILE
@given(text=hostile_text())
def test_an_accepted_postcode_is_known(text: str) -> None:
    result = validate_postcode(text)
    if result.ok:
        assert result.value in POSTCODES

"""Belgian phone numbers: generated mobile and landline numbers are accepted however they
are written, as the same E.164 value; their shown forms are accepted again."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from phonenumbers import PhoneMetadata

from bot.validators import validate_phone
from tests.unit.strategies import PROFILE, hostile_text, invisible_marks, with_invisible_marks

# Numbers the Belgian numbering plan allocates, as phonenumbers knows it (national
# significant number, without the leading 0).
_PLAN = PhoneMetadata.metadata_for_region("BE")


def _numbers(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(f"(?:{pattern})".replace(r"\d", "[0-9]"), fullmatch=True)


mobiles = _numbers(_PLAN.mobile.national_number_pattern)
landlines = _numbers(_PLAN.fixed_line.national_number_pattern)
international = st.sampled_from(["+32 ", "+32", "0032 ", "0032", "+32 (0)"])
separators = st.sampled_from(["", " ", ".", "/", "-", "\u00a0", " - "])
labels = st.sampled_from(["", "gsm: ", "tel ", "mon numéro: ", "\u202a"])
endings = st.sampled_from(["", " (mobile)", ".", "\u202c"])


def grouped(digits: str, sep: str) -> str:
    return sep.join(digits[i : i + 2] for i in range(0, len(digits), 2))


@PROFILE
@given(
    digits=mobiles,
    national_form=st.booleans(),
    country=international,
    sep=separators,
    label=labels,
    ending=endings,
    marks=invisible_marks,
    where=st.lists(st.integers(0, 40), min_size=4, max_size=4),
)
def test_a_belgian_mobile_number_is_accepted_however_it_is_written(
    digits: str,
    national_form: bool,
    country: str,
    sep: str,
    label: str,
    ending: str,
    marks: list[str],
    where: list[int],
) -> None:
    number = ("0" if national_form else country) + grouped(digits, sep)
    text = label + with_invisible_marks(number, marks, where) + ending
    result = validate_phone(text)
    assert result.ok, (text, result)
    assert result.value == f"+32{digits}"
    assert result.details["is_mobile"] is True
    for shown in (result.value, result.details["display"], result.details["national"]):
        assert validate_phone(shown).value == result.value


@PROFILE
@given(digits=landlines, sep=separators)
def test_a_belgian_landline_is_accepted_as_a_fixed_line(digits: str, sep: str) -> None:
    result = validate_phone("0" + grouped(digits, sep))
    assert result.ok, (digits, result)
    assert result.value == f"+32{digits}"
    assert result.details["is_mobile"] is False


@PROFILE
@given(
    country_and_number=st.sampled_from(
        ["+31 6 12345678", "+33 6 12 34 56 78", "+49 1512 3456789", "+44 7911 123456"]
    ),
    sep=st.sampled_from(["", " "]),
)
def test_a_foreign_number_is_not_belgian(country_and_number: str, sep: str) -> None:
    result = validate_phone(country_and_number.replace(" ", sep))
    assert result.error == "not_belgian"


@PROFILE
@given(
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    letter=st.sampled_from("aoOlIsB"),
    position=st.integers(min_value=1, max_value=8),
)
def test_a_letter_inside_the_number_is_a_format_error(
    digits: str, letter: str, position: int
) -> None:
    text = "0" + digits[:position] + letter + digits[position:]
    assert validate_phone(text).error == "format"


@PROFILE
@given(text=hostile_text())
def test_an_accepted_number_is_belgian_and_in_e164(text: str) -> None:
    result = validate_phone(text)
    if result.ok:
        assert result.value.startswith("+32") and result.value[1:].isdigit()
        assert 11 <= len(result.value) <= 12

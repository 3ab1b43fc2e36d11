"""National register and BIS numbers: made with a correct check number, they are accepted
in every shape a citizen types them; a wrong check number never is."""

from __future__ import annotations

from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.be import bis, nn

from bot.validators import masked_national_number, validate_national_number
from tests.unit.strategies import PROFILE, invisible_marks, positions, with_invisible_marks

TODAY = date(2025, 6, 1)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
counters = st.integers(min_value=1, max_value=998)
# How citizens separate the groups "YY MM DD NNN CC".
separators = st.sampled_from(
    ["", " ", ".", "-", "/", " - ", "\u00a0", "\u202f", "\u2013", "  ", "_", "\t"]
)
digit_scripts = st.sampled_from(["0", "٠", "۰", "०", "０"])  # ASCII, Arabic-Indic, ...


def with_check(first_nine: str, born_after_1999: bool) -> str:
    """The 11 digits: the first nine and their check number (97 - n mod 97)."""
    base = int(("2" if born_after_1999 else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


def national_number(born: date, counter: int, month_offset: int = 0) -> str:
    first_nine = f"{born:%y}{born.month + month_offset:02d}{born:%d}{counter:03d}"
    return with_check(first_nine, born.year >= 2000)


def typed(number: str, seps: list[str], zero: str) -> str:
    """The number in groups 2-2-2-3-2 joined by `seps`, its digits in the script of `zero`."""
    groups = [number[0:2], number[2:4], number[4:6], number[6:9], number[9:11]]
    text = groups[0] + "".join(sep + group for sep, group in zip(seps, groups[1:], strict=True))
    return "".join(chr(ord(zero) + int(ch)) if ch.isdigit() else ch for ch in text)


def formatted(number: str) -> str:
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"


@PROFILE
@given(
    born=births,
    counter=counters,
    offset=st.sampled_from([0, 20, 40]),  # national number, BIS (+20 or +40 on the month)
    seps=st.lists(separators, min_size=4, max_size=4),
    zero=digit_scripts,
    padding=st.sampled_from(["", " ", "\n", " \u00a0"]),
    marks=invisible_marks,
    where=positions,
)
def test_a_valid_number_is_accepted_in_every_written_shape(
    born: date,
    counter: int,
    offset: int,
    seps: list[str],
    zero: str,
    padding: str,
    marks: list[str],
    where: list[int],
) -> None:
    number = national_number(born, counter, offset)
    text = with_invisible_marks(padding + typed(number, seps, zero) + padding, marks, where)
    result = validate_national_number(text, today=TODAY)
    assert result.ok, (text, result)
    assert result.value == number
    assert result.details["birth_date"] == born
    assert result.details["birth_year"] == born.year
    assert result.details["is_bis"] is (offset > 0)
    assert result.details["formatted"] == formatted(number)
    # The stored and the shown forms are accepted again as the same number.
    for again in (number, result.details["formatted"]):
        assert validate_national_number(again, today=TODAY).value == number
    # What the agency checks (bot/sandbox/validation.py) agrees.
    assert (bis if offset else nn).is_valid(number)
    assert masked_national_number(text) == f"••.••.••-•••.{number[-2:]}"


@PROFILE
@given(
    year=st.integers(min_value=1900, max_value=TODAY.year - 1),
    counter=counters,
    month_field=st.sampled_from([0, 20, 40]),
)
def test_a_number_with_an_unknown_birth_date_is_accepted(
    year: int, counter: int, month_field: int
) -> None:
    # Month 00 (or 20/40 for BIS) and day 00: the register did not know the date.
    number = with_check(f"{year % 100:02d}{month_field:02d}00{counter:03d}", year >= 2000)
    result = validate_national_number(number, today=TODAY)
    assert result.ok, (number, result)
    assert result.details["birth_date"] is None
    assert result.details["birth_year"] == year
    assert result.details["is_bis"] is (month_field > 0)


@PROFILE
@given(born=births, counter=counters, offset=st.sampled_from([0, 20, 40]), wrong=st.integers(1, 96))
def test_a_wrong_check_number_is_always_refused(
    born: date, counter: int, offset: int, wrong: int
) -> None:
    number = national_number(born, counter, offset)
    check = (int(number[-2:]) + wrong - 1) % 97 + 1  # another value in 1..97
    # The same nine digits read in the other century have their own valid check number.
    other = with_check(number[:9], born.year < 2000)[-2:]
    assume(f"{check:02d}" != other)
    result = validate_national_number(f"{number[:-2]}{check:02d}", today=TODAY)
    assert (result.ok, result.error) == (False, "checksum")


@PROFILE
@given(
    born=births,
    counter=counters,
    position=st.integers(min_value=0, max_value=10),
    digit=st.integers(min_value=0, max_value=9),
)
def test_a_mistyped_digit_is_caught(born: date, counter: int, position: int, digit: int) -> None:
    number = national_number(born, counter)
    mistyped = number[:position] + str(digit) + number[position + 1 :]
    assume(mistyped != number)
    result = validate_national_number(mistyped, today=TODAY)
    if result.ok:
        # Only possible when the changed digits are a valid number of their own (for
        # the other century): then the encoded date differs from the real one.
        assert nn.is_valid(mistyped) or bis.is_valid(mistyped)
        assert result.details["birth_date"] != born or result.value[9:] != number[9:]
    else:
        assert result.error in {"checksum", "birth_date", "future"}


@PROFILE
@given(digits=st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_eleven_digits_are_accepted_exactly_when_the_agency_would_accept_them(
    digits: str,
) -> None:
    result = validate_national_number(digits, today=date.today())
    agency = nn.is_valid(digits) or bis.is_valid(digits)
    if result.ok:
        assert agency
    elif agency:
        # Stricter than the agency only for a day the month does not have ("birth_date")
        # or a birth date still to come.
        assert result.error in {"birth_date", "future"}, result


@PROFILE
@given(
    digits=st.text(alphabet="0123456789", min_size=1, max_size=20).filter(lambda d: len(d) != 11)
)
def test_any_other_count_of_digits_is_a_format_error(digits: str) -> None:
    result = validate_national_number(" ".join(digits), today=TODAY)
    assert (result.error, result.details["digits"]) == ("format", len(digits))


@PROFILE
@given(born=st.dates(min_value=date(2025, 6, 2), max_value=date(2025, 12, 31)), counter=counters)
def test_a_birth_date_after_today_is_refused(born: date, counter: int) -> None:
    result = validate_national_number(national_number(born, counter), today=TODAY)
    assert result.error == "future"

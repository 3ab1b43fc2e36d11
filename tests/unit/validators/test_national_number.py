"""Belgian national register numbers and BIS numbers.

All numbers here are synthetic: built from a date and a counter, with the check number
computed as 97 - (number mod 97), the number being prefixed with "2" for births in 2000
or later.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.validators import masked_national_number, validate_national_number

TODAY = date(2025, 6, 1)


def with_check(first_nine: str, born_2000_or_later: bool = False) -> str:
    base = int(("2" if born_2000_or_later else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


def test_helper_reproduces_the_known_example() -> None:
    assert with_check("850730033") == "85073003328"


@pytest.mark.parametrize(
    "typed",
    [
        "85.07.30-033.28",
        "85073003328",
        "85 07 30 033 28",
        "85-07-30-033-28",
        "85.07.30 033 28",
        " 850730-03328 ",
        "85/07/30/033/28",
        "85\u00a007\u00a030\u00a0033\u00a028",  # no-break spaces from a copy-paste
        "85.07.30–033.28",  # en dash from a phone keyboard
        "٨٥٠٧٣٠٠٣٣٢٨",  # Arabic-Indic digits
    ],
)
def test_accepts_common_typings(typed: str) -> None:
    result = validate_national_number(typed, today=TODAY)
    assert result.ok, result
    assert result.value == "85073003328"
    assert result.error is None
    assert result.details["birth_date"] == date(1985, 7, 30)
    assert result.details["birth_year"] == 1985
    assert result.details["is_bis"] is False
    assert result.details["formatted"] == "85.07.30-033.28"


def test_post_2000_birth_uses_the_2_prefix_in_the_checksum() -> None:
    # 050312123: 2050312123 mod 97 = 37 -> check 60; without the prefix the check is 31.
    assert with_check("050312123", born_2000_or_later=True) == "05031212360"
    result = validate_national_number("05.03.12-123.60", today=TODAY)
    assert result.ok, result
    assert result.details["birth_date"] == date(2005, 3, 12)
    assert result.details["is_bis"] is False


def test_same_digits_with_the_19xx_check_number_mean_1905() -> None:
    result = validate_national_number("05.03.12-123.31", today=TODAY)
    assert result.ok, result
    assert result.details["birth_date"] == date(1905, 3, 12)


def test_post_2000_number_is_rejected_with_a_wrong_check() -> None:
    assert validate_national_number("05.03.12-123.61", today=TODAY).error == "checksum"


def test_stdnum_documented_2017_example() -> None:
    result = validate_national_number("17 07 30 033 84", today=TODAY)
    assert result.ok
    assert result.details["birth_date"] == date(2017, 7, 30)


def test_bis_number_month_plus_40() -> None:
    result = validate_national_number("98.47.28-997.65", today=TODAY)
    assert result.ok, result
    assert result.value == "98472899765"
    assert result.details["is_bis"] is True
    assert result.details["birth_date"] == date(1998, 7, 28)
    assert result.details["formatted"] == "98.47.28-997.65"


def test_bis_number_month_plus_20() -> None:
    number = with_check("852730033")
    assert number == "85273003371"
    result = validate_national_number(number, today=TODAY)
    assert result.ok, result
    assert result.details["is_bis"] is True
    assert result.details["birth_date"] == date(1985, 7, 30)


def test_bis_number_born_after_2000() -> None:
    result = validate_national_number("01 49 07 001 85", today=TODAY)
    assert result.ok, result
    assert result.details["is_bis"] is True
    assert result.details["birth_date"] == date(2001, 9, 7)


def test_bis_number_with_unknown_month_has_no_birth_date_but_a_year() -> None:
    number = with_check("852000033")  # month 20: BIS, month unknown
    result = validate_national_number(number, today=TODAY)
    assert result.ok, result
    assert result.details["is_bis"] is True
    assert result.details["birth_date"] is None
    assert result.details["birth_year"] == 1985


@pytest.mark.parametrize("first_nine", ["002001002", "004001003"])
def test_bis_number_with_unknown_birth_date(first_nine: str) -> None:
    result = validate_national_number(with_check(first_nine), today=TODAY)
    assert result.ok, result
    assert result.details["is_bis"] is True
    assert result.details["birth_date"] is None
    assert result.details["birth_year"] is None


def test_national_number_with_unknown_birth_date() -> None:
    result = validate_national_number(with_check("000001001"), today=TODAY)
    assert result.ok, result
    assert result.details["is_bis"] is False
    assert result.details["birth_date"] is None


def test_national_number_with_month_00_keeps_the_year() -> None:
    result = validate_national_number(with_check("850000033"), today=TODAY)
    assert result.ok, result
    assert result.details["birth_date"] is None
    assert result.details["birth_year"] == 1985


@pytest.mark.parametrize("typed", ["", "   ", "...", "--", "🙂", None])
def test_empty(typed: str | None) -> None:
    result = validate_national_number(typed, today=TODAY)
    assert not result.ok
    assert result.error == "empty"


@pytest.mark.parametrize(
    "typed",
    [
        "8507300332",  # 10 digits
        "850730033288",  # 12 digits
        "85.07.30-033.2",
        "85O73003328",  # letter O instead of zero
        "abc",
        "RRN 85073003328",
        "85073003328 85073003328",
        "1" * 500,
    ],
)
def test_format(typed: str) -> None:
    result = validate_national_number(typed, today=TODAY)
    assert not result.ok
    assert result.error == "format"


def test_format_reports_the_digit_count() -> None:
    assert validate_national_number("85.07.30-033.2").details["digits"] == 10


@pytest.mark.parametrize(
    "typed",
    ["85.07.30-033.29", "85.07.30-033.82", "58.07.30-033.28", "12345678901", "00000000000"],
)
def test_checksum(typed: str) -> None:
    result = validate_national_number(typed, today=TODAY)
    assert not result.ok
    assert result.error == "checksum"


@pytest.mark.parametrize(
    "first_nine",
    [
        "851301033",  # month 13
        "851901033",  # month 19
        "853330033",  # BIS month 33 (13 + 20)
        "856001033",  # month 60
        "850230033",  # 30 February
        "850431033",  # 31 April
        "852732033",  # BIS: 32 July
    ],
)
def test_impossible_birth_date(first_nine: str) -> None:
    result = validate_national_number(with_check(first_nine), today=TODAY)
    assert not result.ok
    assert result.error == "birth_date"


def test_29_february_of_a_leap_year_is_fine() -> None:
    result = validate_national_number(with_check("840229033"), today=TODAY)
    assert result.ok
    assert result.details["birth_date"] == date(1984, 2, 29)


def test_29_february_of_a_common_year_is_impossible() -> None:
    assert validate_national_number(with_check("850229033"), today=TODAY).error == "birth_date"


def test_future_birth_date() -> None:
    number = with_check("240101001", born_2000_or_later=True)
    result = validate_national_number(number, today=date(2023, 6, 1))
    assert not result.ok
    assert result.error == "future"
    assert result.details["birth_date"] == date(2024, 1, 1)
    # The same number is fine once that date has passed.
    assert validate_national_number(number, today=TODAY).ok


def test_today_defaults_to_the_real_date() -> None:
    assert validate_national_number("85.07.30-033.28").ok


def test_masked_number_shows_only_the_last_two_digits() -> None:
    assert masked_national_number("85073003328") == "••.••.••-•••.28"
    assert masked_national_number("85.07.30-033.28") == "••.••.••-•••.28"
    masked = masked_national_number("85073003328")
    for digit in "8507300333":
        assert digit not in masked[:-2]


@pytest.mark.parametrize("value", ["", None, "123", "abc", "850730033281"])
def test_masked_number_hides_everything_when_not_a_number(value: str | None) -> None:
    assert masked_national_number(value) == "••.••.••-•••.••"

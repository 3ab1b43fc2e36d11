"""Birth dates typed in Dutch, French and English."""

from __future__ import annotations

from datetime import date

import pytest

from bot.validators import (
    ValidationResult,
    format_date,
    matches_national_number,
    parse_birth_date,
    validate_national_number,
)

TODAY = date(2025, 6, 1)
MARCH_12_1985 = date(1985, 3, 12)


@pytest.mark.parametrize(
    "typed",
    [
        "12/03/1985",
        "12-3-1985",
        "12.03.85",
        "12 03 1985",
        "1985-03-12",
        "12/3/85",
        "12.3.1985",
        " 12 / 03 / 1985 ",
        "12031985",
        "120385",
        "1985/03/12",
        "١٢/٠٣/١٩٨٥",  # Arabic-Indic digits
    ],
)
def test_numeric_forms_day_first(typed: str) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert result.ok, result
    assert result.value == MARCH_12_1985
    assert result.details["age"] == 40


@pytest.mark.parametrize(
    "typed",
    [
        # Dutch
        "12 maart 1985",
        "12 mrt 85",
        "12 Maart 1985",
        "12de maart 1985",
        "geboren op 12 maart 1985",
        "dinsdag 12 maart 1985",
        "12 maar 1985",  # typo
        # French
        "12 mars 85",
        "12 mars 1985",
        "le 12 mars 1985",
        "né le 12 mars 1985",
        "12 MARS 1985",
        # English
        "march 12 1985",
        "March 12, 1985",
        "12th of March 1985",
        "12 march 1985",
        "the 12th of march, 1985",
        "Mar 12 1985",
        "1985 March 12",
    ],
)
def test_written_forms(typed: str) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert result.ok, result
    assert result.value == MARCH_12_1985


@pytest.mark.parametrize("language", ["nl", "fr", "en", "de", ""])
def test_every_language_is_understood_whatever_the_chat_language(language: str) -> None:
    for typed in ("12 maart 1985", "12 mars 1985", "March 12, 1985"):
        assert parse_birth_date(typed, language, today=TODAY).value == MARCH_12_1985


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1er mars 1985", date(1985, 3, 1)),
        ("1 mars 1985", date(1985, 3, 1)),
        ("2ème avril 1990", date(1990, 4, 2)),
        ("1st of May 1990", date(1990, 5, 1)),
        ("3rd June 1990", date(1990, 6, 3)),
        ("2nd july 1990", date(1990, 7, 2)),
        ("1ste mei 1990", date(1990, 5, 1)),
        ("12 février 1985", date(1985, 2, 12)),
        ("12 fevrier 1985", date(1985, 2, 12)),
        ("12 Février 1985", date(1985, 2, 12)),
        ("12 févr. 1985", date(1985, 2, 12)),
        ("3 août 1990", date(1990, 8, 3)),
        ("3 aout 1990", date(1990, 8, 3)),
        ("3 augustus 1990", date(1990, 8, 3)),
        ("3 aug 1990", date(1990, 8, 3)),
        ("August 3, 1990", date(1990, 8, 3)),
        ("5 januari 1970", date(1970, 1, 5)),
        ("5 janvier 1970", date(1970, 1, 5)),
        ("5 jan 1970", date(1970, 1, 5)),
        ("5 februari 1970", date(1970, 2, 5)),
        ("5 feb 1970", date(1970, 2, 5)),
        ("5 april 1970", date(1970, 4, 5)),
        ("5 avril 1970", date(1970, 4, 5)),
        ("5 mei 1970", date(1970, 5, 5)),
        ("5 mai 1970", date(1970, 5, 5)),
        ("5 may 1970", date(1970, 5, 5)),
        ("5 juni 1970", date(1970, 6, 5)),
        ("5 juin 1970", date(1970, 6, 5)),
        ("5 june 1970", date(1970, 6, 5)),
        ("5 juli 1970", date(1970, 7, 5)),
        ("5 juillet 1970", date(1970, 7, 5)),
        ("5 july 1970", date(1970, 7, 5)),
        ("5 september 1970", date(1970, 9, 5)),
        ("5 septembre 1970", date(1970, 9, 5)),
        ("5 sept 1970", date(1970, 9, 5)),
        ("5 oktober 1970", date(1970, 10, 5)),
        ("5 octobre 1970", date(1970, 10, 5)),
        ("5 okt 1970", date(1970, 10, 5)),
        ("5 october 1970", date(1970, 10, 5)),
        ("5 november 1970", date(1970, 11, 5)),
        ("5 novembre 1970", date(1970, 11, 5)),
        ("5 december 1970", date(1970, 12, 5)),
        ("5 décembre 1970", date(1970, 12, 5)),
        ("5 decembre 1970", date(1970, 12, 5)),
        ("12 febuari 1985", date(1985, 2, 12)),  # typo
        ("12 feburary 1985", date(1985, 2, 12)),  # typo
        ("12 setembre 1985", date(1985, 9, 12)),  # typo
    ],
)
def test_month_names_in_three_languages(typed: str, expected: date) -> None:
    result = parse_birth_date(typed, "fr", today=TODAY)
    assert result.ok, result
    assert result.value == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12.03.85", date(1985, 3, 12)),
        ("05.01.05", date(2005, 1, 5)),
        ("01/06/10", date(2010, 6, 1)),  # exactly 15 today
        ("12/03/99", date(1999, 3, 12)),
        ("12/03/00", date(2000, 3, 12)),
        ("29/02/00", date(2000, 2, 29)),
        ("12/03/30", date(1930, 3, 12)),  # 2030 would be in the future
        ("12 mrt 85", date(1985, 3, 12)),
    ],
)
def test_two_digit_year_lands_in_the_past(typed: str, expected: date) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert result.ok, result
    assert result.value == expected
    assert result.details["two_digit_year"] is True


def test_two_digit_year_uses_the_reference_date() -> None:
    # On 1 June 2025, 02/06/25 would be tomorrow: the previous century is meant.
    result = parse_birth_date("02/06/25", "nl", today=TODAY, min_age=0)
    assert result.ok
    assert result.value == date(1925, 6, 2)


def test_four_digit_year_is_flagged_as_such() -> None:
    assert parse_birth_date("12/03/1985", "nl", today=TODAY).details["two_digit_year"] is False


@pytest.mark.parametrize("typed", ["", "   ", "?", "🎂", None])
def test_empty(typed: str | None) -> None:
    assert parse_birth_date(typed, "nl", today=TODAY).error == "empty"


@pytest.mark.parametrize(
    "typed",
    [
        "12 maart",  # no year
        "maart 1985",  # no day
        "1985",
        "12/03",
        "gisteren",
        "yesterday",
        "12 blabla 1985",
        "12/03/1985/4",
        "12/03/198",  # three-digit year
        "123/03/1985",
        "12 maart mars 1985",
        "12 03 maart 1985",
        "12 jily 1985",  # could be juli or juni: no guess
        "1" * 200,
    ],
)
def test_format(typed: str) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert not result.ok
    assert result.error == "format"


@pytest.mark.parametrize(
    "typed",
    ["31/02/1985", "30 februari 1985", "29/02/1985", "31 april 1990", "00/03/1985", "12/13/1985",
     "32/01/1985", "12/00/1985", "31 juin 1990", "29/02/01"],
)  # fmt: skip
def test_impossible(typed: str) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert not result.ok
    assert result.error == "impossible"


def test_29_february_of_a_leap_year() -> None:
    assert parse_birth_date("29/02/1984", "nl", today=TODAY).value == date(1984, 2, 29)


@pytest.mark.parametrize("typed", ["02/06/2025", "12/03/2030", "1 janvier 2099"])
def test_future(typed: str) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert not result.ok
    assert result.error == "future"
    assert result.details["date"] > TODAY


def test_born_today_is_too_young_not_future() -> None:
    assert parse_birth_date("01/06/2025", "nl", today=TODAY).error == "too_young"


@pytest.mark.parametrize(
    ("typed", "age"), [("02/06/2010", 14), ("12/03/2015", 10), ("1 janvier 2020", 5)]
)
def test_too_young(typed: str, age: int) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert not result.ok
    assert result.error == "too_young"
    assert result.details["age"] == age


def test_fifteenth_birthday_is_old_enough() -> None:
    result = parse_birth_date("01/06/2010", "nl", today=TODAY)
    assert result.ok
    assert result.details["age"] == 15


@pytest.mark.parametrize("typed", ["31/05/1904", "12/03/1900", "1 jan 1850", "12/03/0085"])
def test_too_old(typed: str) -> None:
    result = parse_birth_date(typed, "nl", today=TODAY)
    assert not result.ok
    assert result.error == "too_old"


def test_hundred_and_twenty_is_still_accepted() -> None:
    result = parse_birth_date("01/06/1905", "nl", today=TODAY)
    assert result.ok
    assert result.details["age"] == 120


def test_age_limits_can_be_changed() -> None:
    assert parse_birth_date("12/03/2015", "nl", today=TODAY, min_age=0).ok
    assert parse_birth_date("12/03/1985", "nl", today=TODAY, max_age=30).error == "too_old"


def test_today_defaults_to_the_real_date() -> None:
    assert parse_birth_date("12/03/1985", "nl").ok


# --- agreement with the national number -------------------------------------------


def test_matches_the_birth_date_of_the_national_number() -> None:
    nn = validate_national_number("85.07.30-033.28", today=TODAY)
    assert matches_national_number(date(1985, 7, 30), nn) is True
    assert matches_national_number(date(1985, 7, 30), nn.details) is True
    assert matches_national_number(date(1985, 3, 7), nn) is False
    assert matches_national_number(date(1958, 7, 30), nn.details) is False


def test_bis_number_with_unknown_date_never_blocks() -> None:
    nn = validate_national_number("00200100211", today=TODAY)  # BIS, date unknown
    assert nn.ok and nn.details["birth_date"] is None
    assert matches_national_number(date(1985, 7, 30), nn) is True


def test_partly_known_date_compares_the_year() -> None:
    nn = validate_national_number("85200003349", today=TODAY)  # BIS, month unknown, 1985
    assert nn.ok and nn.details["birth_year"] == 1985
    assert matches_national_number(date(1985, 7, 30), nn) is True
    assert matches_national_number(date(1986, 7, 30), nn) is False


def test_matches_with_nothing_to_compare() -> None:
    assert matches_national_number(None, {"birth_date": date(1985, 7, 30)}) is True
    assert matches_national_number(date(1985, 7, 30), None) is True
    assert matches_national_number(date(1985, 7, 30), {}) is True
    assert matches_national_number(date(1985, 7, 30), ValidationResult.invalid("format"))


def test_typed_date_and_number_round_trip() -> None:
    typed = parse_birth_date("30 juli 1985", "nl", today=TODAY)
    nn = validate_national_number("85073003328", today=TODAY)
    assert matches_national_number(typed.value, nn)


# --- display ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "12 maart 1985"), ("fr", "12 mars 1985"), ("en", "12 March 1985")],
)
def test_format_date(language: str, expected: str) -> None:
    assert format_date(MARCH_12_1985, language) == expected


def test_format_date_french_first_of_the_month_and_accents() -> None:
    assert format_date(date(1985, 3, 1), "fr") == "1er mars 1985"
    assert format_date(date(1990, 8, 3), "fr") == "3 août 1990"
    assert format_date(date(1990, 2, 14), "fr") == "14 février 1990"
    assert format_date(date(1990, 3, 1), "nl") == "1 maart 1990"


def test_format_date_unknown_language_falls_back_to_english() -> None:
    assert format_date(MARCH_12_1985, "de") == "12 March 1985"
    assert format_date(MARCH_12_1985, "nl-BE") == "12 maart 1985"


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_formatted_date_parses_back(language: str) -> None:
    for d in (date(1985, 3, 1), date(1990, 8, 31), date(2001, 12, 25), date(1970, 2, 28)):
        assert parse_birth_date(format_date(d, language), language, today=TODAY).value == d

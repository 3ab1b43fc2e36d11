"""Belgian phone numbers (numbers are made up, in allocated ranges)."""

from __future__ import annotations

import pytest

from bot.validators import validate_phone


@pytest.mark.parametrize(
    "typed",
    [
        "0470 12 34 56",
        "0470/12.34.56",
        "0470123456",
        "0470-12-34-56",
        "0470 123 456",
        "+32 470 12 34 56",
        "+32470123456",
        "0032470123456",
        "0032 470 12 34 56",
        "+32 (0)470 12 34 56",
        "+32 0470 12 34 56",
        "32470123456",
        "470 12 34 56",
        "gsm: 0470 12 34 56",
        "mijn nummer is 0470 12 34 56",
        "0470 12 34 56 (gsm)",
        "０４７０ １２ ３４ ５６",  # full-width digits
    ],
)
def test_belgian_mobile(typed: str) -> None:
    result = validate_phone(typed)
    assert result.ok, result
    assert result.value == "+32470123456"
    assert result.details["display"] == "+32 470 12 34 56"
    assert result.details["national"] == "0470 12 34 56"
    assert result.details["is_mobile"] is True


@pytest.mark.parametrize(
    ("typed", "e164", "display"),
    [
        ("09 223 45 67", "+3292234567", "+32 9 223 45 67"),  # Gent
        ("09/223.45.67", "+3292234567", "+32 9 223 45 67"),
        ("(09) 223 45 67", "+3292234567", "+32 9 223 45 67"),
        ("+32 9 223 45 67", "+3292234567", "+32 9 223 45 67"),
        ("02 512 34 56", "+3225123456", "+32 2 512 34 56"),  # Brussels
        ("0032 2 512 34 56", "+3225123456", "+32 2 512 34 56"),
        ("04 223 45 67", "+3242234567", "+32 4 223 45 67"),  # Liège
        ("087 12 34 56", "+3287123456", "+32 87 12 34 56"),  # Verviers/Eupen
        ("050 12 34 56", "+3250123456", "+32 50 12 34 56"),  # Brugge
    ],
)
def test_belgian_landline(typed: str, e164: str, display: str) -> None:
    result = validate_phone(typed)
    assert result.ok, result
    assert result.value == e164
    assert result.details["display"] == display
    assert result.details["is_mobile"] is False


@pytest.mark.parametrize("prefix", ["0455", "0460", "0468", "0471", "0485", "0496"])
def test_all_mobile_ranges(prefix: str) -> None:
    result = validate_phone(f"{prefix} 12 34 56")
    assert result.ok, result
    assert result.details["is_mobile"] is True


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("+33 6 12 34 56 78", "FR"),
        ("0033 6 12 34 56 78", "FR"),
        ("+31 6 12345678", "NL"),
        ("0031612345678", "NL"),
        ("+49 151 23456789", "DE"),
        ("+352 621 123 456", "LU"),
        ("+212 6 12 34 56 78", "MA"),
    ],
)
def test_valid_foreign_number_is_not_belgian(typed: str, region: str) -> None:
    result = validate_phone(typed)
    assert not result.ok
    assert result.error == "not_belgian"
    assert result.details["region"] == region
    assert result.details["display"].startswith("+")


@pytest.mark.parametrize(
    "typed",
    [
        "0470 12 34 5",  # too short
        "0470 12 34 567",  # too long
        "047012345678",
        "12",
        "112",
        "0",
        "+32",
        "+32 12",
        "09 123 45 67",  # the 091 range is not allocated in the Belgian numbering plan
        "+999 123 456",  # no such country
        "+33 12",  # French but far too short
        "0470 12 34 56 78 90 12 34",
    ],
)
def test_invalid(typed: str) -> None:
    result = validate_phone(typed)
    assert not result.ok
    assert result.error == "invalid"


@pytest.mark.parametrize("typed", ["0800 12 345", "0900 12 345", "078 15 15 15", "070 22 34 56"])
def test_service_numbers_are_not_a_citizens_number(typed: str) -> None:
    result = validate_phone(typed)
    assert not result.ok
    assert result.error == "invalid"
    assert result.details["reason"] == "service_number"


@pytest.mark.parametrize(
    "typed",
    [
        "abc",
        "geen",
        "je n'en ai pas",
        "0470FLOWERS",
        "04a70 12 34 56",
        "0470 12 34 56 of 0471 23 45 67",
        "tel0470123456",
        "1" * 200,
    ],
)
def test_format(typed: str) -> None:
    result = validate_phone(typed)
    assert not result.ok
    assert result.error == "format"


@pytest.mark.parametrize("typed", ["", "   ", "+", "-", "📞", None])
def test_empty(typed: str | None) -> None:
    assert validate_phone(typed).error == "empty"

"""ValidationResult and the package's public surface."""

from __future__ import annotations

import dataclasses

import pytest

import bot.validators as validators
from bot.validators import ValidationResult


def test_valid_carries_value_and_details() -> None:
    result = ValidationResult.valid("9000", agency="VDAB")
    assert result.ok is True
    assert result.value == "9000"
    assert result.error is None
    assert result.details == {"agency": "VDAB"}


def test_invalid_carries_error_and_details() -> None:
    result = ValidationResult.invalid("typo", suggestion="gmail.com")
    assert result.ok is False
    assert result.value is None
    assert result.error == "typo"
    assert result.details["suggestion"] == "gmail.com"


def test_result_is_frozen() -> None:
    result = ValidationResult.valid(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ok = False  # type: ignore[misc]


def test_details_are_copied_from_the_callers_mapping() -> None:
    details = {"a": 1}
    result = ValidationResult(ok=True, value=1, details=details)
    details["a"] = 2
    assert result.details == {"a": 1}


def test_default_details_are_empty_and_not_shared() -> None:
    first, second = ValidationResult(ok=True), ValidationResult(ok=False, error="x")
    assert first.details == {} and second.details == {}
    assert first.details is not second.details


@pytest.mark.parametrize("name", validators.__all__)
def test_everything_in_all_is_exported(name: str) -> None:
    assert getattr(validators, name) is not None


def test_public_functions_are_reexported() -> None:
    expected = {
        "validate_national_number",
        "masked_national_number",
        "parse_birth_date",
        "matches_national_number",
        "format_date",
        "validate_postcode",
        "validate_phone",
        "validate_email",
        "validate_name",
        "is_blank_or_noise",
        "truncate_for_processing",
        "ValidationResult",
    }
    assert expected <= set(validators.__all__)

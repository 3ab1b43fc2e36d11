"""Validation of the sandbox's request bodies.

Every validator returns `(clean, errors)`: `clean` holds normalised values, `errors` maps
a field name to a reason. Reasons never repeat the submitted value (it may be personal).

The lists of accepted values below are the agency's side of the contract in
`docs/architecture.md`, written out here on purpose rather than imported from
`bot.tasks.fields`: the sandbox plays another organisation's system, so a change on the
assistant's side must not silently change what the agency accepts.
`tests/unit/sandbox/test_validation.py` checks that both sides still agree.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from stdnum.be import bis, nn

from bot.geo import area_for_postcode

EDUCATION_LEVELS = ("none", "primary", "secondary", "higher")
LANGUAGES = ("nl", "fr", "en")
DELIVERY_METHODS = ("post", "email", "counter")
# Working days the agency announces per document; delivery by post adds POST_EXTRA_DAYS.
EXPECTED_DAYS = {
    "jobseeker_certificate": 1,
    "residence_certificate": 2,
    "household_composition": 2,
    "criminal_record_extract": 3,
    "birth_certificate": 5,
}
DOCUMENT_TYPES = tuple(EXPECTED_DAYS)
POST_EXTRA_DAYS = 2

_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_POSTCODE = re.compile(r"^[0-9]{4}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

Errors = dict[str, str]


def expected_days(document_type: str, delivery: str) -> int:
    return EXPECTED_DAYS[document_type] + (POST_EXTRA_DAYS if delivery == "post" else 0)


def mask_national_number(number: str) -> str:
    """Only the two check digits survive: enough to recognise, useless to misuse."""
    return "*" * (len(number) - 2) + number[-2:]


def normalise_postcode(value: Any) -> str | None:
    """A four-digit postcode string, or None when `value` is not shaped like one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or not _POSTCODE.match(value.strip()):
        return None
    return value.strip()


def _national_number(data: dict, errors: Errors) -> str | None:
    value = data.get("national_number")
    if value is None or value == "":
        errors["national_number"] = "required"
        return None
    if not isinstance(value, str):
        errors["national_number"] = "must be a string of 11 digits"
        return None
    number = nn.compact(value)
    if len(number) != 11 or not number.isdigit():
        errors["national_number"] = "must be 11 digits"
        return None
    if not (nn.is_valid(number) or bis.is_valid(number)):
        errors["national_number"] = "not a valid Belgian national or BIS number"
        return None
    return number


def _text(data: dict, field: str, errors: Errors, *, required: bool, max_length: int) -> str | None:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field] = "required"
        return None
    if not isinstance(value, str):
        errors[field] = "must be a string"
        return None
    value = " ".join(value.split())
    if len(value) > max_length:
        errors[field] = f"must be at most {max_length} characters"
        return None
    if _CONTROL.search(value):
        errors[field] = "must not contain control characters"
        return None
    return value


def _name(data: dict, field: str, errors: Errors, *, required: bool) -> str | None:
    value = _text(data, field, errors, required=required, max_length=100)
    if value is not None and (
        not any(ch.isalpha() for ch in value) or any(ch.isdigit() for ch in value)
    ):
        errors[field] = "must be a name (letters, no digits)"
        return None
    return value


def _choice(
    data: dict, field: str, choices: tuple[str, ...], errors: Errors, *, required: bool
) -> str | None:
    value = data.get(field)
    if value is None or value == "":
        if required:
            errors[field] = "required"
        return None
    if value not in choices:
        errors[field] = "must be one of " + ", ".join(choices)
        return None
    return value


def _postcode(data: dict, errors: Errors, *, required: bool) -> str | None:
    value = data.get("postcode")
    if value is None or value == "":
        if required:
            errors["postcode"] = "required"
        return None
    postcode = normalise_postcode(value)
    if postcode is None:
        errors["postcode"] = "must be a four-digit Belgian postcode"
        return None
    if area_for_postcode(postcode) is None:
        errors["postcode"] = "unknown Belgian postcode"
        return None
    return postcode


def _email(data: dict, errors: Errors, *, required: bool) -> str | None:
    value = data.get("email")
    if value is None or value == "":
        if required:
            errors["email"] = "required"
        return None
    if not isinstance(value, str) or len(value) > 254 or not _EMAIL.match(value.strip()):
        errors["email"] = "must be an e-mail address"
        return None
    return value.strip()


def _birth_date(data: dict, errors: Errors) -> date | None:
    value = data.get("birth_date")
    if value is None or value == "":
        errors["birth_date"] = "required"
        return None
    try:
        parsed = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        errors["birth_date"] = "must be an ISO date (YYYY-MM-DD)"
        return None
    if parsed.year < 1900 or parsed > date.today():
        errors["birth_date"] = "must lie between 1900 and today"
        return None
    return parsed


def _phone(data: dict, errors: Errors) -> str | None:
    value = data.get("phone")
    if value is None or value == "":
        errors["phone"] = "required"
        return None
    if not isinstance(value, str) or not _E164.match(value.strip()):
        errors["phone"] = "must be in E.164 format, e.g. +32470123456"
        return None
    return value.strip()


def validate_registration(data: dict) -> tuple[dict, Errors]:
    errors: Errors = {}
    clean = {
        "national_number": _national_number(data, errors),
        "given_name": _name(data, "given_name", errors, required=True),
        "family_name": _name(data, "family_name", errors, required=True),
        "birth_date": _birth_date(data, errors),
        "postcode": _postcode(data, errors, required=True),
        "phone": _phone(data, errors),
        "email": _email(data, errors, required=False),
        "education_level": _choice(
            data, "education_level", EDUCATION_LEVELS, errors, required=True
        ),
        "occupation": _text(data, "occupation", errors, required=True, max_length=200),
        "language": _choice(data, "language", LANGUAGES, errors, required=True),
    }
    return clean, errors


def validate_document_request(data: dict) -> tuple[dict, Errors]:
    errors: Errors = {}
    delivery = _choice(data, "delivery", DELIVERY_METHODS, errors, required=True)
    clean = {
        "document_type": _choice(data, "document_type", DOCUMENT_TYPES, errors, required=True),
        "national_number": _national_number(data, errors),
        "delivery": delivery,
        "given_name": _name(data, "given_name", errors, required=False),
        "family_name": _name(data, "family_name", errors, required=False),
        "postcode": _postcode(data, errors, required=False),
        "email": _email(data, errors, required=delivery == "email"),
        "language": _choice(data, "language", LANGUAGES, errors, required=False),
    }
    return clean, errors


def describe(errors: Errors) -> str:
    """One line naming every invalid field, for the `detail` of a 422."""
    return "invalid or missing field(s): " + "; ".join(
        f"{field} ({reason})" for field, reason in errors.items()
    )

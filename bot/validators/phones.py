"""Belgian phone numbers typed in national or international form.

Error codes of `validate_phone`:
    "empty"        nothing (or only punctuation/emoji) was typed
    "format"       not a phone number at all (no digits, letters inside the number)
    "invalid"      looks like a number but cannot be a Belgian one (length, unallocated
                   range, service numbers such as 0800/0900/078: details reason)
    "not_belgian"  a valid foreign number (details region, display): a Belgian one is needed
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

from .result import ValidationResult
from .text import is_blank_or_noise, normalize_digits, remove_invisible

DEFAULT_REGION = "BE"
_MAX_INPUT = 80
# The part that should be the number: from the first "+" or digit to the last digit.
_NUMBER_SPAN = re.compile(r"[+0-9].*[0-9]|[+0-9]", re.DOTALL)
# What may appear inside a typed number: digits, "+", spaces, . / - ( ).
_NUMBER_CHARS = re.compile(r"[0-9+\s./()\-‐‑‒–—]+")
_CITIZEN_TYPES = frozenset(
    {
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
        PhoneNumberType.VOIP,
        PhoneNumberType.PERSONAL_NUMBER,
    }
)


def _number_part(text: str) -> str | None:
    """The number inside "gsm: 0470 12 34 56" or "0470/12.34.56 (mobile)"; None if mixed
    with letters ("0470FLOWERS", "04a70 123 456")."""
    match = _NUMBER_SPAN.search(text)
    if match is None:
        return None
    number = match.group()
    if not _NUMBER_CHARS.fullmatch(number):
        return None
    before, after = text[: match.start()], text[match.end() :]
    # A label or comment around the number must be separated from it.
    if before and before[-1].isalnum():
        return None
    if after and after[0].isalnum():
        return None
    return number


def validate_phone(text: str | None) -> ValidationResult:
    """Validate a Belgian mobile or landline number.

    value:   E.164 string ("+32470123456").
    details: display ("+32 470 12 34 56"), national ("0470 12 34 56"), is_mobile (bool).
    """
    if not isinstance(text, str) or is_blank_or_noise(text):
        return ValidationResult.invalid("empty")
    text = normalize_digits(remove_invisible(text).strip())
    if len(text) > _MAX_INPUT:
        return ValidationResult.invalid("format")
    number_text = _number_part(text)
    if number_text is None:
        return ValidationResult.invalid("format")
    try:
        number = phonenumbers.parse(number_text, DEFAULT_REGION)
    except NumberParseException:
        # Only digits and separators got here: a number of the wrong shape ("0", "+32").
        return ValidationResult.invalid("invalid")
    except Exception:  # phonenumbers must never take the form down
        return ValidationResult.invalid("invalid")

    if not phonenumbers.is_valid_number(number):
        return ValidationResult.invalid("invalid")
    display = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    region = phonenumbers.region_code_for_number(number)
    if region != DEFAULT_REGION:
        return ValidationResult.invalid("not_belgian", region=region, display=display)
    number_type = phonenumbers.number_type(number)
    if number_type not in _CITIZEN_TYPES:
        return ValidationResult.invalid("invalid", reason="service_number", display=display)
    return ValidationResult.valid(
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        display=display,
        national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        is_mobile=number_type == PhoneNumberType.MOBILE,
    )

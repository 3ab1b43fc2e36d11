"""Belgian national register numbers (rijksregisternummer / numéro de registre national)
and BIS numbers, as typed on a phone: "85.07.30-033.28", "85073003328", "85 07 30 033 28".

Error codes of `validate_national_number`:
    "empty"       nothing (or only punctuation/emoji) was typed
    "format"      not 11 digits once separators are removed
    "checksum"    11 digits, but the check number does not match
    "birth_date"  the encoded birth date is impossible (month 13, 30 February...)
    "future"      the encoded birth date lies after `today`
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from stdnum.be import bis, nn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from .result import ValidationResult
from .text import is_blank_or_noise, normalize_digits, remove_invisible

# Separators people type between the groups: spaces (incl. no-break), dots, dashes, slashes.
_SEPARATORS = re.compile(r"[\s.\-‐‑‒–—―/_]+")
_MAX_INPUT = 64
_MASK = "••.••.••-•••."


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", normalize_digits(remove_invisible(text)))


def _is_bis_month(month_field: int) -> bool:
    return 20 <= month_field <= 32 or 40 <= month_field <= 52


def validate_national_number(text: str | None, today: date | None = None) -> ValidationResult:
    """Validate a national register number or a BIS number.

    value:   the 11-digit compact string.
    details: birth_date (date, or None when the number encodes an unknown/partial date),
             birth_year (int or None), is_bis (bool), formatted ("YY.MM.DD-XXX.CC").
    """
    if not isinstance(text, str) or is_blank_or_noise(text):
        return ValidationResult.invalid("empty")
    today = today or date.today()
    text = remove_invisible(text).strip()
    if len(text) > _MAX_INPUT:
        return ValidationResult.invalid("format")
    number = _compact(text)
    if not re.fullmatch(r"[0-9]{11}", number):
        digits = sum(ch.isdigit() for ch in number)
        return ValidationResult.invalid("format", digits=digits)

    is_bis = _is_bis_month(int(number[2:4]))
    module = bis if is_bis else nn
    try:
        module.validate(number)
        birth_year = module.get_birth_year(number)
        birth_month = module.get_birth_month(number)
        birth_date = module.get_birth_date(number)
    except InvalidChecksum:
        return ValidationResult.invalid("checksum")
    except InvalidComponent:
        return ValidationResult.invalid("birth_date")
    except ValidationError:
        # Only "00000000000" gets here (stdnum rejects it as a format error).
        return ValidationResult.invalid("checksum")

    # stdnum reads a day that does not exist in the month (e.g. 30 February) as an
    # unknown day. An unknown day is encoded as 00, so any other impossible day is a typo.
    day_field = int(number[4:6])
    if (
        birth_year
        and birth_month
        and day_field
        and day_field > calendar.monthrange(birth_year, birth_month)[1]
    ):
        return ValidationResult.invalid("birth_date")

    details = {
        "birth_date": birth_date,
        "birth_year": birth_year,
        "is_bis": is_bis,
        "formatted": nn.format(number),
    }
    if birth_date is not None and birth_date > today:
        return ValidationResult.invalid("future", **details)
    if birth_date is None and birth_year is not None and birth_year > today.year:
        return ValidationResult.invalid("future", **details)
    return ValidationResult.valid(number, **details)


def masked_national_number(value: str | None) -> str:
    """The number with everything but the last two digits hidden: "••.••.••-•••.28".

    Safe for summaries and logs. Anything that is not an 11-digit number is fully masked.
    """
    number = _compact(value) if isinstance(value, str) else ""
    if re.fullmatch(r"[0-9]{11}", number):
        return _MASK + number[-2:]
    return _MASK + "••"

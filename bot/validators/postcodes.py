"""Belgian postcodes typed alone or in a sentence: "9000", "B-9000", "4700 Eupen".

Error codes of `validate_postcode`:
    "empty"    nothing (or only punctuation/emoji) was typed
    "format"   no four-digit number in the text, or several different known postcodes
               (details: reason="ambiguous", candidates=(...))
    "unknown"  a four-digit number that is not a Belgian postcode ("0000", "9999")
"""

from __future__ import annotations

import re

from bot.geo import area_for_postcode

from .result import ValidationResult
from .text import is_blank_or_noise, normalize_digits, remove_invisible

_MAX_INPUT = 200
# Four digits not glued to other digits; "B-9000", "BE9000", "9000Gent" all match.
_POSTCODE = re.compile(r"(?<![0-9])[0-9]{4}(?![0-9])")


def validate_postcode(text: str | None) -> ValidationResult:
    """Find the Belgian postcode in the text and the agency that serves it.

    value:   the four-digit postcode string.
    details: area (bot.geo.PostcodeArea), agency ("VDAB", "Actiris", "Le Forem", "ADG"),
             region ("flanders", "wallonia", "brussels"), municipalities (the distinct
             Dutch and French names, Dutch first).
    """
    if not isinstance(text, str) or is_blank_or_noise(text):
        return ValidationResult.invalid("empty")
    text = normalize_digits(remove_invisible(text).strip())
    if len(text) > _MAX_INPUT:
        return ValidationResult.invalid("format")
    candidates = list(dict.fromkeys(_POSTCODE.findall(text)))
    if not candidates:
        return ValidationResult.invalid("format")
    known = [(code, area) for code in candidates if (area := area_for_postcode(code))]
    if not known:
        return ValidationResult.invalid("unknown", postcode=candidates[0])
    if len(known) > 1:
        return ValidationResult.invalid(
            "format", reason="ambiguous", candidates=tuple(code for code, _ in known)
        )
    postcode, area = known[0]
    names = [m.name_nl for m in area.municipalities] + [m.name_fr for m in area.municipalities]
    return ValidationResult.valid(
        postcode,
        area=area,
        agency=area.agency,
        region=area.region,
        municipalities=tuple(dict.fromkeys(names)),
    )

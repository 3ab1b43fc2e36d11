"""Finds personal data in free text: national and BIS numbers, phone numbers, e-mails.

One home for what "personal data in a text" means, used by the log filter
(`bot.logging_setup`), the counsellor's transcript (`bot.console.masking`) and anything
that must scrub text before it is kept. It errs on the side of masking: any group of
eleven digits written the way a national or BIS number is written is taken for one,
checksum or not, because a mistyped number is still someone's number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

NATIONAL_NUMBER = "national_number"
PHONE = "phone"
EMAIL = "email"

_SEP = r"[.\- /]?"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (EMAIL, re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)),
    # 85.07.30-033.28, 85073003328, 85 07 30 033 28 (BIS numbers share the shape).
    (
        NATIONAL_NUMBER,
        re.compile(
            rf"(?<![\d])\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{2}}(?![\d])"
        ),
    ),
    # +32 470 12 34 56, 0032470123456, +33 6 12 34 56 78
    (PHONE, re.compile(r"(?<![\w+])(?:\+|00)\d(?:[ ./()-]{0,2}\d){7,14}(?!\d)")),
    # 0470 12 34 56, 02/123.45.67, 0470123456
    (PHONE, re.compile(r"(?<![\w])0\d(?:[ ./()-]{0,2}\d){7,9}(?!\d)")),
)


@dataclass(frozen=True)
class Found:
    """One piece of personal data in a text: its kind and where it is."""

    kind: str
    start: int
    end: int
    value: str


def find_personal_data(text: str) -> list[Found]:
    """Every piece of personal data in `text`, in order, never overlapping."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(Found(kind, start, end, match.group()))
    return sorted(found, key=lambda item: item.start)


def placeholder(item: Found) -> str:
    return f"<{item.kind}>"


def mask_personal_data(text: str, replace: Callable[[Found], str] = placeholder) -> str:
    """`text` with each piece of personal data replaced (by `<kind>` unless told)."""
    if not text:
        return text
    parts: list[str] = []
    position = 0
    for item in find_personal_data(text):
        parts += [text[position : item.start], replace(item)]
        position = item.end
    parts.append(text[position:])
    return "".join(parts)

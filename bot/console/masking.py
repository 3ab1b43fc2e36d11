"""Personal data inside a message: which stretches of it a counsellor sees masked.

Two sources, so that one missed by the first is caught by the second:
- `find_personal_data` (bot.privacy): national and BIS numbers, phones, e-mails, however
  they are written;
- the values the forms collected for the masked fields (`known_values`), written as the
  conversation shows them: the birth date of the summary ("12 maart 1990") is no pattern
  but is the citizen's.
A whole message that answered the question for a masked field is masked as one piece
(bot.console.transcript decides which).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.privacy.personal_data import find_personal_data
from bot.settings import SUPPORTED_LANGUAGES
from bot.validators import format_date

# Personal numbers and contact details stay masked until the counsellor reveals them;
# every reveal is audited.
MASKED_FIELDS = frozenset({"national_number", "birth_date", "phone", "email"})
MASK = "•"
# Shorter collected values ("-" for "no e-mail") would mask ordinary words.
MIN_KNOWN_LENGTH = 4


@dataclass(frozen=True)
class Piece:
    """A stretch of a message: plain text (`kind` None), or one piece of personal data."""

    text: str
    kind: str | None = None

    @property
    def personal(self) -> bool:
        return self.kind is not None


def mask(value: str) -> str:
    """Every character but the last two hidden: enough to compare, not to reuse."""
    text = str(value)
    if len(text) <= 2:
        return MASK * len(text)
    return MASK * (len(text) - 2) + text[-2:]


def _spellings(field: str, value: Any) -> set[str]:
    """How a collected value may appear in the conversation's texts."""
    text = str(value).strip()
    spellings = {text}
    if field == "birth_date":
        try:
            born = date.fromisoformat(text)
        except ValueError:
            pass
        else:
            spellings |= {format_date(born, language) for language in SUPPORTED_LANGUAGES}
    return {s for s in spellings if len(s) >= MIN_KNOWN_LENGTH}


def known_values(
    events: Iterable[Mapping[str, Any]], slots: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """(field, spelling) of every value a masked field held in these events or slots,
    longest first (so that a longer spelling wins over a shorter one inside it)."""
    found: set[tuple[str, str]] = set()
    pairs = [(e.get("name"), e.get("value")) for e in events if e.get("event") == "slot"]
    pairs += list((slots or {}).items())
    for field, value in pairs:
        if field in MASKED_FIELDS and isinstance(value, (str, int)) and str(value).strip():
            found |= {(field, spelling) for spelling in _spellings(field, value)}
    return sorted(found, key=lambda pair: (-len(pair[1]), pair))


def split_personal(text: str, known: Iterable[tuple[str, str]] = ()) -> list[Piece]:
    """`text` cut into plain pieces and pieces of personal data, in order."""
    spans = [(item.start, item.end, item.kind) for item in find_personal_data(text)]
    for kind, value in known:
        for match in re.finditer(re.escape(value), text, flags=re.IGNORECASE):
            start, end = match.span()
            if not any(start < s_end and s_start < end for s_start, s_end, _ in spans):
                spans.append((start, end, kind))
    pieces: list[Piece] = []
    position = 0
    for start, end, kind in sorted(spans):
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], kind))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces

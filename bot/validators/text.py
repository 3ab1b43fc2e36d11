"""Helpers for the raw text citizens type: noise detection, truncation, normalisation."""

from __future__ import annotations

import unicodedata

DEFAULT_PROCESSING_LIMIT = 500

_ZWJ = "\u200d"


def is_blank_or_noise(text: str | None) -> bool:
    """True when the text carries no answer: empty, whitespace, only emoji/punctuation/symbols.

    A text is noise when it holds no letter and no digit of any script.
    """
    if not isinstance(text, str):
        return True
    return not any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _is_continuation(ch: str) -> bool:
    """A character that belongs to the grapheme before it (accent, emoji modifier...)."""
    code = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF  # variation selectors supplement
        or 0x1F3FB <= code <= 0x1F3FF  # skin tone modifiers
        or 0xE0020 <= code <= 0xE007F  # emoji tag sequences
    )


def _is_regional_indicator(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def truncate_for_processing(text: str | None, limit: int = DEFAULT_PROCESSING_LIMIT) -> str:
    """At most `limit` characters of `text`, cut without splitting an accent or an emoji.

    Protects the NLU pipeline and the validators from very long messages (a pasted CV,
    a 5,000-character rant). Surrounding whitespace is removed.
    """
    if not isinstance(text, str) or limit <= 0:
        return ""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = limit
    # Do not separate a base character from its combining marks / modifiers, nor
    # leave a zero-width joiner dangling at the end.
    while cut > 0 and (_is_continuation(text[cut]) or text[cut - 1] == _ZWJ):
        cut -= 1
    # Flags are pairs of regional indicators: do not cut a pair in half.
    if cut > 0 and _is_regional_indicator(text[cut]):
        run = 0
        while cut - run - 1 >= 0 and _is_regional_indicator(text[cut - run - 1]):
            run += 1
        if run % 2 == 1:
            cut -= 1
    return text[:cut].rstrip()


def normalize_digits(text: str) -> str:
    """Replace decimal digits of any script (Arabic-Indic, full-width...) by ASCII digits."""
    out = []
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            value = unicodedata.decimal(ch, None)
            out.append(str(value) if value is not None else ch)
        else:
            out.append(ch)
    return "".join(out)


def fold_accents(text: str) -> str:
    """Lower-case `text` and remove accents: "Février" -> "fevrier", "août" -> "aout"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def collapse_spaces(text: str) -> str:
    """Strip and collapse every run of whitespace (incl. no-break spaces) to one space."""
    return " ".join(text.split())

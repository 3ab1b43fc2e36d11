"""Helpers for the raw text citizens type: noise detection, truncation, normalisation."""

from __future__ import annotations

import re
import unicodedata

DEFAULT_PROCESSING_LIMIT = 500

_ZWJ = "\u200d"
# Characters that change how a text is shown but hold nothing a citizen meant to type:
# soft hyphen, Arabic letter mark, zero-width space, left-to-right / right-to-left marks,
# embeddings, overrides and isolates, word joiner, byte order mark. Phones put them around
# numbers and addresses in right-to-left locales and in copied contact cards
# ("\u202a+32 470 12 34 56\u202c"); an override can make a text read differently from
# what it holds. The zero-width (non-)joiner is kept: it is part of the spelling of some
# Persian and Indic names, and of emoji.
_INVISIBLE = re.compile("[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


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


def remove_invisible(text: str) -> str:
    """`text` without the invisible formatting characters above."""
    return _INVISIBLE.sub("", text)


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
    """Lower-case `text` and remove accents: "Février" -> "fevrier", "août" -> "aout".

    Compatibility forms are unfolded before the case, so that the letters of "fancy font"
    keyboards become plain lower-case letters too ("𝐌𝐚𝐚𝐫𝐭" -> "maart").
    """
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def collapse_spaces(text: str) -> str:
    """Strip and collapse every run of whitespace (incl. no-break spaces) to one space."""
    return " ".join(text.split())

"""Text made ready for Telegram: HTML-escaped, and cut where it is longer than one message."""

from __future__ import annotations

import html
import re

from channels.message_text import valid_unicode

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for one message, after entities are parsed
# Where a text may be cut, best first: paragraphs, lines, sentences, words.
_BOUNDARIES = (
    re.compile(r"(?<=\n\n)"),
    re.compile(r"(?<=\n)"),
    re.compile(r"(?<=[.!?…:;])\s+"),
    re.compile(r"(?<=\s)"),
)


def escape(text: str) -> str:
    """Text made safe for parse_mode HTML: citizen-provided text can never become markup."""
    return html.escape(text, quote=False)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), so emoji count double."""
    return len(text.encode("utf-16-le")) // 2


def _fits(text: str, limit: int) -> bool:
    return telegram_length(escape(text)) <= limit


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Cut `text` into parts whose escaped form fits in one message.

    Cuts at a paragraph if it can, else at a line, a sentence, a word, and only as a last
    resort inside a word. Measured after escaping, since `&` becomes `&amp;`.
    """
    text = valid_unicode(text).strip()
    if not text:
        return []
    return [part for part in (p.strip() for p in _split(text, limit, 0)) if part]


def _split(text: str, limit: int, level: int) -> list[str]:
    if _fits(text, limit):
        return [text]
    if level >= len(_BOUNDARIES):
        return _hard_cut(text, limit)
    pieces = [p for p in _BOUNDARIES[level].split(text) if p]
    if len(pieces) == 1:
        return _split(text, limit, level + 1)
    joiner = " " if level == 2 else ""  # the sentence boundary swallowed the space
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{joiner}{piece}" if current else piece
        if _fits(candidate.strip(), limit):
            current = candidate
            continue
        if current:
            parts.append(current)
        if _fits(piece.strip(), limit):
            current = piece
        else:
            parts.extend(_split(piece, limit, level + 1))
            current = ""
    if current:
        parts.append(current)
    return parts


def _hard_cut(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        cost = telegram_length(escape(char))
        if current and used + cost > limit:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += cost
    if current:
        parts.append("".join(current))
    return parts

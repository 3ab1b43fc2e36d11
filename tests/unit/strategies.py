"""Hypothesis strategies for what a stranger may type or send, shared by the property tests.

`hostile_text` is any Python string a channel can hand over, not only valid Unicode text:
control characters, lone surrogates (JSON allows "\\ud800"), bidirectional marks and
overrides, zero-width characters, combining marks, emoji sequences, digits of other
scripts, very long runs. `huge_text` makes texts of up to a few hundred thousand
characters cheaply (a short piece repeated).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# One profile for every property test: fixed by the seed pytest gives hypothesis, no
# example database (CI starts clean anyway), no deadline (2 busy cores).
PROFILE = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# For tests run once per validator or slot, and for huge inputs.
QUICK = settings(PROFILE, max_examples=40)

INVISIBLE = (
    "\u00ad",  # soft hyphen
    "\u061c",  # Arabic letter mark
    "\u200b",  # zero-width space
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202a",  # left-to-right embedding (iOS contact cards)
    "\u202b",  # right-to-left embedding
    "\u202c",  # pop directional formatting
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
)
TRICKY = (
    *INVISIBLE,
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\t",
    "\r\n",
    "\u2028",
    "\u00a0",
    "\u202f",  # narrow no-break space (French typography)
    "\u3000",
    "\u0301",  # combining acute accent
    "\u200d",  # zero-width joiner
    "\ufe0f",
    "😀",
    "👍🏽",
    "🇧🇪",
    "👨\u200d👩\u200d👧",
    "٣",  # Arabic-Indic three
    "８",  # full-width eight
    "\ud800",
    "\udfff",
    "İ",
    "ß",
    "ſ",
    "\u212a",  # Kelvin sign
    "<script>",
    "&amp;",
    "%s",
    "{0}",
    "'; DROP TABLE x;--",
    "../../etc/passwd",
    "@",
    "+",
    "/",
    ".",
    "-",
)

any_character = st.characters(codec=None, exclude_categories=())
surrogate = st.characters(categories=["Cs"])
tricky_piece = st.sampled_from(TRICKY)


def hostile_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Any string: printable, control, surrogates, invisible marks, emoji, other scripts."""
    pieces = st.one_of(any_character, tricky_piece, tricky_piece, surrogate)
    return st.one_of(
        st.text(max_size=max_size),
        st.lists(pieces, max_size=max_size).map("".join),
    )


def unicode_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """Like `hostile_text`, but text that can be encoded: no lone surrogates (what Telegram
    and any UTF-8 JSON body can carry)."""
    pieces = st.one_of(st.characters(), tricky_piece.filter(lambda p: not _has_surrogate(p)))
    return st.one_of(st.text(max_size=max_size), st.lists(pieces, max_size=max_size).map("".join))


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def huge_text(max_repeat: int = 50_000) -> st.SearchStrategy[str]:
    """Long texts (up to several hundred thousand characters), built by repetition."""
    return st.builds(
        lambda piece, count: piece * count,
        hostile_text(max_size=12).filter(bool),
        st.integers(min_value=1_000, max_value=max_repeat),
    )


def with_invisible_marks(text: str, marks: list[str], positions: list[int]) -> str:
    """`text` with each mark inserted at the matching position (taken modulo the length)."""
    out = list(text)
    for mark, position in zip(marks, positions, strict=False):
        out.insert(position % (len(out) + 1), mark)
    return "".join(out)


invisible_marks = st.lists(st.sampled_from(INVISIBLE), max_size=4)
positions = st.lists(st.integers(min_value=0, max_value=10_000), min_size=4, max_size=4)

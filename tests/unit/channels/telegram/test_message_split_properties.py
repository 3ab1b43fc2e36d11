"""Splitting for Telegram: every part fits one message once escaped, no part is empty,
and no text is lost or reordered (only the spaces at a cut)."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from channels.telegram.message_split import (
    MAX_MESSAGE_LENGTH,
    escape,
    split_text,
    telegram_length,
)
from tests.unit.strategies import PROFILE, unicode_text

words = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Zs", "Zl", "Zp", "Cc"]),
    min_size=1,
    max_size=30,
)
separators = st.sampled_from([" ", "\n", "\n\n", ". ", "! ", "&", " <b> "])
sentences = st.lists(st.tuples(words, separators), max_size=120)
repeated = st.builds(
    lambda piece, n: piece * n, st.sampled_from(["😀", "&", "a", "é ", "<>"]), st.integers(1, 600)
)
texts = st.one_of(
    unicode_text(max_size=400), sentences.map(lambda ps: "".join(w + s for w, s in ps)), repeated
)
limits = st.integers(min_value=8, max_value=300)


def visible(text: str) -> str:
    return "".join(text.split())


@PROFILE
@given(text=texts, limit=limits)
def test_parts_fit_and_keep_all_the_text_in_order(text: str, limit: int) -> None:
    parts = split_text(text, limit=limit)
    for part in parts:
        assert part and part == part.strip()
        assert telegram_length(escape(part)) <= limit, (part, limit)
    assert visible("".join(parts)) == visible(text)


@PROFILE
@given(text=texts)
def test_a_text_that_fits_is_one_part(text: str) -> None:
    parts = split_text(text)
    if not text.strip():
        assert parts == []
    elif telegram_length(escape(text.strip())) <= MAX_MESSAGE_LENGTH:
        assert parts == [text.strip()]
    else:
        assert len(parts) > 1


@PROFILE
@given(text=unicode_text(max_size=200))
def test_escaping_round_trips_and_is_never_markup(text: str) -> None:
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert html.unescape(escaped) == text
    assert telegram_length(text) == len(text.encode("utf-16-le")) // 2

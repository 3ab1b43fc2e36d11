"""Cutting and escaping text for Telegram (no network)."""

from __future__ import annotations

from channels.telegram.message_split import (
    MAX_MESSAGE_LENGTH,
    escape,
    split_text,
    telegram_length,
)


def test_one_very_long_sentence_is_cut_between_words_and_nothing_is_lost():
    text = " ".join(f"woord{n}" for n in range(2000)) + ". Tweede zin."
    parts = split_text(text, limit=1000)
    assert all(telegram_length(escape(p)) <= 1000 for p in parts)
    assert " ".join(parts).split() == text.split()
    assert split_text("x" * 2500, limit=1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    emoji = split_text("😀" * 600, limit=1000)  # an emoji counts twice for Telegram
    assert [telegram_length(p) for p in emoji] == [1000, 200]


def test_the_limit_is_measured_after_escaping():
    text = "&" * MAX_MESSAGE_LENGTH  # each & becomes &amp;, five characters
    parts = split_text(text)
    assert all(telegram_length(escape(p)) <= MAX_MESSAGE_LENGTH for p in parts)
    assert "".join(parts) == text


def test_short_and_empty_texts():
    assert split_text("  Hallo.  ") == ["Hallo."]
    assert split_text("   ") == []
    assert escape("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"

"""Every channel hands Rasa text it can encode and afford."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from channels.message_text import MAX_MESSAGE_CHARS, clean_message_text, valid_unicode


def test_a_lone_surrogate_becomes_the_replacement_character():
    assert valid_unicode("a\ud800b\udfffc") == "a\ufffdb\ufffdc"
    assert valid_unicode("Daan 😀") == "Daan 😀"


def test_a_long_message_is_cut():
    assert clean_message_text("0470 " * 200_000) == ("0470 " * 200_000)[:MAX_MESSAGE_CHARS]


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet=st.characters(), max_size=300))
def test_the_result_always_encodes_and_keeps_valid_text(text):
    cleaned = clean_message_text(text)
    cleaned.encode("utf-8")
    assert len(cleaned) == min(len(text), MAX_MESSAGE_CHARS)
    if all(not 0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert cleaned == text[:MAX_MESSAGE_CHARS]

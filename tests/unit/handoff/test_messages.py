"""Counsellor and citizen messages, and their delivery (SQLite)."""

from __future__ import annotations

import pytest

from bot.handoff import messages, queries, state


def test_counsellor_messages_only_by_the_holder(factory, anna, bram, new_request):
    request_id = new_request()
    assert messages.add_counsellor_message(factory, request_id, anna, "Hallo") is None  # waiting
    state.take(factory, request_id, anna)
    assert messages.add_counsellor_message(factory, request_id, bram, "Hallo") is None
    first = messages.add_counsellor_message(factory, request_id, anna, "  Dag, ik ben Anna.  ")
    second = messages.add_counsellor_message(factory, request_id, anna, "x" * 2000)
    pending = messages.undelivered_messages(factory, "conv-1")
    assert [m.id for m in pending] == [first, second]
    assert pending[0].text == "Dag, ik ben Anna." and pending[0].handoff_id == request_id
    for bad in ("", "   \n ", "x" * 2001):
        with pytest.raises(ValueError):
            messages.add_counsellor_message(factory, request_id, anna, bad)
    state.close(factory, request_id, anna, "resolved")
    assert messages.add_counsellor_message(factory, request_id, anna, "late") is None


def test_mark_delivered_once(factory, anna, new_request):
    request_id = new_request()
    state.take(factory, request_id, anna)
    ids = [messages.add_counsellor_message(factory, request_id, anna, t) for t in "abc"]
    assert messages.mark_delivered(factory, ids[:2]) == 2
    assert messages.mark_delivered(factory, ids[:2]) == 0
    assert messages.mark_delivered(factory, []) == 0
    assert [m.id for m in messages.undelivered_messages(factory, "conv-1")] == [ids[2]]
    assert messages.undelivered_messages(factory, "other") == []


def test_citizen_messages_reach_the_holder_only(factory, anna, new_request):
    request_id = new_request()
    assert messages.record_citizen_message(factory, "conv-1", "hallo?") is None
    state.take(factory, request_id, anna)
    message_id = messages.record_citizen_message(factory, "conv-1", " hallo? ")
    assert message_id is not None
    assert queries.get_request(factory, request_id).last_citizen_message_at is not None
    assert messages.undelivered_messages(factory, "conv-1") == []  # citizen -> counsellor
    stored = messages.conversation_messages(factory, request_id)
    assert [(m.direction, m.text) for m in stored] == [("citizen", "hallo?")]


def test_conversations_with_pending_lists_each_conversation_once(factory, anna, new_request):
    first, second = new_request("c1"), new_request("c2")
    assert messages.conversations_with_pending(factory) == []
    state.take(factory, first, anna)
    state.take(factory, second, anna)
    ids = [messages.add_counsellor_message(factory, first, anna, text) for text in "ab"]
    messages.record_citizen_message(factory, "c2", "a citizen's message is not pending")
    assert messages.conversations_with_pending(factory) == ["c1"]
    messages.add_counsellor_message(factory, second, anna, "c")
    assert sorted(messages.conversations_with_pending(factory)) == ["c1", "c2"]
    messages.mark_delivered(factory, ids)
    assert messages.conversations_with_pending(factory) == ["c2"]


def test_a_left_message_is_kept_on_the_open_request_and_cut_not_refused(factory, new_request):
    assert messages.record_left_message(factory, "c1", "hello") is None  # no request
    request_id = new_request("c1")
    message_id = messages.record_left_message(factory, "c1", "x" * 2050)
    stored = messages.conversation_messages(factory, request_id)
    assert [(m.id, m.direction, len(m.text)) for m in stored] == [
        (message_id, "citizen", messages.MAX_MESSAGE_LENGTH)
    ]
    assert queries.get_request(factory, request_id).last_citizen_message_at is not None
    with pytest.raises(ValueError):
        messages.record_left_message(factory, "c1", "   ")

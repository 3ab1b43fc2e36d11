"""The handoff state machine: request, take (exclusive), hand back, close (SQLite)."""

from __future__ import annotations

import pytest

from bot.handoff import queries, state


def test_request_handoff_and_queue_position_still_work(factory):
    first, created = state.request_handoff(factory, "c1", "rest", "nl", "whatever")
    again, created_again = state.request_handoff(factory, "c1", "rest", "nl", "asked")
    second, _ = state.request_handoff(factory, "c2", "", "fr", "misunderstood")
    assert created and not created_again and again.id == first.id
    assert first.reason == "asked" and second.channel == "unknown"
    assert queries.queue_position(factory, first.id) == 1
    assert queries.queue_position(factory, second.id) == 2
    assert queries.queue_position(factory, 999) == 0


def test_take_moves_waiting_to_active_once(factory, anna, bram, new_request):
    request_id = new_request()
    assert state.take(factory, request_id, anna) is True
    assert state.take(factory, request_id, bram) is False
    assert state.take(factory, request_id, anna) is False
    request = queries.get_request(factory, request_id)
    assert request.status == "active" and request.counsellor_id == anna
    assert request.taken_at is not None
    assert queries.queue_position(factory, request_id) == 0


def test_take_refuses_unknown_inactive_and_non_counsellor_users(factory, add_user, new_request):
    request_id = new_request()
    trainer = add_user("tina", role="trainer")
    gone = add_user("gone", active=False)
    assert state.take(factory, request_id, trainer) is False
    assert state.take(factory, request_id, gone) is False
    assert state.take(factory, request_id, 12345) is False
    assert state.take(factory, 999, add_user("ok")) is False
    admin = add_user("root", role="admin")
    assert state.take(factory, request_id, admin) is True


def test_hand_back_only_by_the_holder(factory, anna, bram, new_request):
    request_id = new_request()
    assert state.hand_back(factory, request_id, anna) is False  # still waiting
    state.take(factory, request_id, anna)
    assert state.hand_back(factory, request_id, bram) is False
    assert state.hand_back(factory, request_id, anna) is True
    assert state.hand_back(factory, request_id, anna) is False
    request = queries.get_request(factory, request_id)
    assert request.status == "handed_back" and request.closed_at is not None
    assert not queries.is_held(factory, "conv-1")


def test_close_only_by_the_holder_with_a_known_outcome(factory, anna, bram, new_request):
    request_id = new_request()
    state.take(factory, request_id, anna)
    with pytest.raises(ValueError):
        state.close(factory, request_id, anna, "happy")
    assert state.close(factory, request_id, bram, "resolved") is False
    assert state.close(factory, request_id, anna, "referred") is True
    assert state.close(factory, request_id, anna, "resolved") is False
    request = queries.get_request(factory, request_id)
    assert (request.status, request.outcome) == ("closed", "referred")
    assert state.take(factory, request_id, bram) is False  # closed stays closed


def test_a_held_conversation_is_not_queued_again(factory, anna, new_request):
    request_id = new_request("conv-held")
    assert state.take(factory, request_id, anna)
    again, created = state.request_handoff(factory, "conv-held", "telegram", "nl", "asked")
    assert not created and again.id == request_id
    assert queries.waiting_queue(factory) == []

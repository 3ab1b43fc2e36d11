"""The handoff state machine, queue, messages and wait estimate (SQLite)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot import handoff
from bot.audit import AuditEvent
from bot.console.auth import User
from bot.db import make_engine, make_session_factory, session_scope
from bot.handoff import HandoffRequest
from bot.models import metadata

PASSWORD_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"


@pytest.fixture
def factory(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'handoff.db'}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def add_user(factory, username: str, role: str = "counsellor", active: bool = True) -> int:
    with session_scope(factory) as session:
        user = User(username=username, password_hash=PASSWORD_HASH, role=role, active=active)
        session.add(user)
        session.flush()
        return user.id


@pytest.fixture
def anna(factory):
    return add_user(factory, "anna")


@pytest.fixture
def bram(factory):
    return add_user(factory, "bram")


def new_request(factory, conversation_id: str = "conv-1") -> int:
    request, created = handoff.request_handoff(factory, conversation_id, "rest", "nl", "asked")
    assert created
    return request.id


def audit_events(factory) -> list[AuditEvent]:
    with session_scope(factory) as session:
        return list(session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars())


def test_request_handoff_and_queue_position_still_work(factory):
    first, created = handoff.request_handoff(factory, "c1", "rest", "nl", "whatever")
    again, created_again = handoff.request_handoff(factory, "c1", "rest", "nl", "asked")
    second, _ = handoff.request_handoff(factory, "c2", "", "fr", "misunderstood")
    assert created and not created_again and again.id == first.id
    assert first.reason == "asked" and second.channel == "unknown"
    assert handoff.queue_position(factory, first.id) == 1
    assert handoff.queue_position(factory, second.id) == 2
    assert handoff.queue_position(factory, 999) == 0


def test_take_moves_waiting_to_active_once(factory, anna, bram):
    request_id = new_request(factory)
    assert handoff.take(factory, request_id, anna) is True
    assert handoff.take(factory, request_id, bram) is False
    assert handoff.take(factory, request_id, anna) is False
    request = handoff.get_request(factory, request_id)
    assert request.status == "active" and request.counsellor_id == anna
    assert request.taken_at is not None
    assert handoff.queue_position(factory, request_id) == 0


def test_take_refuses_unknown_inactive_and_non_counsellor_users(factory):
    request_id = new_request(factory)
    trainer = add_user(factory, "tina", role="trainer")
    gone = add_user(factory, "gone", active=False)
    assert handoff.take(factory, request_id, trainer) is False
    assert handoff.take(factory, request_id, gone) is False
    assert handoff.take(factory, request_id, 12345) is False
    assert handoff.take(factory, 999, add_user(factory, "ok")) is False
    admin = add_user(factory, "root", role="admin")
    assert handoff.take(factory, request_id, admin) is True


def test_hand_back_only_by_the_holder(factory, anna, bram):
    request_id = new_request(factory)
    assert handoff.hand_back(factory, request_id, anna) is False  # still waiting
    handoff.take(factory, request_id, anna)
    assert handoff.hand_back(factory, request_id, bram) is False
    assert handoff.hand_back(factory, request_id, anna) is True
    assert handoff.hand_back(factory, request_id, anna) is False
    request = handoff.get_request(factory, request_id)
    assert request.status == "handed_back" and request.closed_at is not None
    assert not handoff.is_held(factory, "conv-1")


def test_close_only_by_the_holder_with_a_known_outcome(factory, anna, bram):
    request_id = new_request(factory)
    handoff.take(factory, request_id, anna)
    with pytest.raises(ValueError):
        handoff.close(factory, request_id, anna, "happy")
    assert handoff.close(factory, request_id, bram, "resolved") is False
    assert handoff.close(factory, request_id, anna, "referred") is True
    assert handoff.close(factory, request_id, anna, "resolved") is False
    request = handoff.get_request(factory, request_id)
    assert (request.status, request.outcome) == ("closed", "referred")
    assert handoff.take(factory, request_id, bram) is False  # closed stays closed


def test_waiting_queue_oldest_first_with_wait_seconds(factory, anna):
    first = new_request(factory, "c1")
    second = new_request(factory, "c2")
    third = new_request(factory, "c3")
    old = datetime.now(timezone.utc) - timedelta(minutes=5)
    with session_scope(factory) as session:
        session.execute(
            update(HandoffRequest).where(HandoffRequest.id == third).values(created_at=old)
        )
    handoff.take(factory, second, anna)
    queue = handoff.waiting_queue(factory)
    assert [item.id for item in queue] == [third, first]
    assert queue[0].conversation_id == "c3" and queue[0].language == "nl"
    assert queue[0].channel == "rest" and queue[0].reason == "asked"
    assert 299 <= queue[0].wait_seconds <= 310
    assert queue[0].created_at.tzinfo is not None
    assert handoff.waiting_queue(factory, now=old - timedelta(hours=1))[0].wait_seconds == 0


def test_active_for_holder_of_and_is_held(factory, anna, bram):
    a = new_request(factory, "c1")
    b = new_request(factory, "c2")
    new_request(factory, "c3")
    handoff.take(factory, a, anna)
    handoff.take(factory, b, anna)
    assert [r.id for r in handoff.active_for(factory, anna)] == [a, b]
    assert handoff.active_for(factory, bram) == []
    holder = handoff.holder_of(factory, "c1")
    assert holder is not None and holder.counsellor_id == anna
    assert handoff.holder_of(factory, "c3") is None
    assert handoff.is_held(factory, "c2") and not handoff.is_held(factory, "c3")
    assert not handoff.is_held(factory, "unknown")


def test_counsellor_messages_only_by_the_holder(factory, anna, bram):
    request_id = new_request(factory)
    assert handoff.add_counsellor_message(factory, request_id, anna, "Hallo") is None  # waiting
    handoff.take(factory, request_id, anna)
    assert handoff.add_counsellor_message(factory, request_id, bram, "Hallo") is None
    first = handoff.add_counsellor_message(factory, request_id, anna, "  Dag, ik ben Anna.  ")
    second = handoff.add_counsellor_message(factory, request_id, anna, "x" * 2000)
    pending = handoff.undelivered_messages(factory, "conv-1")
    assert [m.id for m in pending] == [first, second]
    assert pending[0].text == "Dag, ik ben Anna." and pending[0].handoff_id == request_id
    for bad in ("", "   \n ", "x" * 2001):
        with pytest.raises(ValueError):
            handoff.add_counsellor_message(factory, request_id, anna, bad)
    handoff.close(factory, request_id, anna, "resolved")
    assert handoff.add_counsellor_message(factory, request_id, anna, "late") is None


def test_mark_delivered_once(factory, anna):
    request_id = new_request(factory)
    handoff.take(factory, request_id, anna)
    ids = [handoff.add_counsellor_message(factory, request_id, anna, t) for t in "abc"]
    assert handoff.mark_delivered(factory, ids[:2]) == 2
    assert handoff.mark_delivered(factory, ids[:2]) == 0
    assert handoff.mark_delivered(factory, []) == 0
    assert [m.id for m in handoff.undelivered_messages(factory, "conv-1")] == [ids[2]]
    assert handoff.undelivered_messages(factory, "other") == []


def test_citizen_messages_reach_the_holder_only(factory, anna):
    request_id = new_request(factory)
    assert handoff.record_citizen_message(factory, "conv-1", "hallo?") is None
    handoff.take(factory, request_id, anna)
    message_id = handoff.record_citizen_message(factory, "conv-1", " hallo? ")
    assert message_id is not None
    assert handoff.get_request(factory, request_id).last_citizen_message_at is not None
    assert handoff.undelivered_messages(factory, "conv-1") == []  # citizen -> counsellor
    messages = handoff.conversation_messages(factory, request_id)
    assert [(m.direction, m.text) for m in messages] == [("citizen", "hallo?")]


def test_audit_events_hold_no_message_text(factory, anna):
    request_id = new_request(factory)
    handoff.take(factory, request_id, anna)
    handoff.add_counsellor_message(factory, request_id, anna, "Uw rijksregisternummer 85073003328")
    handoff.record_citizen_message(factory, "conv-1", "mijn naam is Jan Peeters")
    handoff.close(factory, request_id, anna, "resolved")
    events = audit_events(factory)
    assert [e.action for e in events] == [
        "handoff_requested",
        "handoff_taken",
        "handoff_message_sent",
        "handoff_closed",
    ]
    taken = events[1]
    assert taken.actor == f"counsellor:{anna}" and taken.conversation_id == "conv-1"
    assert json.loads(taken.detail) == {"request_id": request_id}
    assert json.loads(events[3].detail) == {"request_id": request_id, "outcome": "resolved"}
    dump = " ".join(f"{e.actor} {e.detail}" for e in events)
    assert "85073003328" not in dump and "Peeters" not in dump and "anna" not in dump


def test_estimated_wait_minutes(factory, anna):
    ids = [new_request(factory, f"c{i}") for i in range(5)]
    assert handoff.estimated_wait_minutes(factory, ids[0]) == 8
    assert handoff.estimated_wait_minutes(factory, ids[4]) == 40
    assert handoff.estimated_wait_minutes(factory, ids[4], counsellors_online=2) == 24
    assert handoff.estimated_wait_minutes(factory, ids[1], 5, counsellors_online=0) == 10
    handoff.take(factory, ids[0], anna)
    assert handoff.estimated_wait_minutes(factory, ids[0]) == 0
    assert handoff.estimated_wait_minutes(factory, ids[1]) == 8


def test_a_held_conversation_is_not_queued_again(factory, anna):
    request_id = new_request(factory, "conv-held")
    assert handoff.take(factory, request_id, anna)
    again, created = handoff.request_handoff(factory, "conv-held", "telegram", "nl", "asked")
    assert not created and again.id == request_id
    assert handoff.waiting_queue(factory) == []

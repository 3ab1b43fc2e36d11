"""What the queue, the console and the actions read (SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from bot.accounts.sessions import start_session
from bot.db import session_scope
from bot.handoff import messages, queries, state
from bot.handoff.models import HandoffRequest


def test_waiting_queue_oldest_first_with_wait_seconds(factory, anna, new_request):
    first = new_request("c1")
    second = new_request("c2")
    third = new_request("c3")
    old = datetime.now(timezone.utc) - timedelta(minutes=5)
    with session_scope(factory) as session:
        session.execute(
            update(HandoffRequest).where(HandoffRequest.id == third).values(created_at=old)
        )
    state.take(factory, second, anna)
    queue = queries.waiting_queue(factory)
    assert [item.id for item in queue] == [third, first]
    assert queue[0].conversation_id == "c3" and queue[0].language == "nl"
    assert queue[0].channel == "rest" and queue[0].reason == "asked"
    assert 299 <= queue[0].wait_seconds <= 310
    assert queue[0].created_at.tzinfo is not None
    assert queries.waiting_queue(factory, now=old - timedelta(hours=1))[0].wait_seconds == 0


def test_the_queue_item_carries_the_agency(factory):
    state.request_handoff(factory, "c1", "rest", "fr", "asked", agency="Le Forem")
    state.request_handoff(factory, "c2", "rest", "fr", "asked")
    assert [item.agency for item in queries.waiting_queue(factory)] == ["Le Forem", None]


def test_recent_requests_are_those_that_left_the_queue_newest_first(factory, anna, new_request):
    waiting = new_request("c1")
    held, handed_back, closed = new_request("c2"), new_request("c3"), new_request("c4")
    for request_id in (held, handed_back, closed):
        state.take(factory, request_id, anna)
    state.hand_back(factory, handed_back, anna)
    state.close(factory, closed, anna, "resolved")
    recent = queries.recent_requests(factory)
    assert waiting not in [r.id for r in recent]
    assert [r.id for r in recent] == [closed, handed_back, held]
    assert [r.id for r in queries.recent_requests(factory, limit=1)] == [closed]


def test_active_for_holder_of_and_is_held(factory, anna, bram, new_request):
    a = new_request("c1")
    b = new_request("c2")
    new_request("c3")
    state.take(factory, a, anna)
    state.take(factory, b, anna)
    assert [r.id for r in queries.active_for(factory, anna)] == [a, b]
    assert queries.active_for(factory, bram) == []
    holder = queries.holder_of(factory, "c1")
    assert holder is not None and holder.counsellor_id == anna
    assert queries.holder_of(factory, "c3") is None
    assert queries.is_held(factory, "c2") and not queries.is_held(factory, "c3")
    assert not queries.is_held(factory, "unknown")


def test_open_and_held_request_inside_a_transaction(factory, anna, new_request):
    request_id = new_request("c1")
    with session_scope(factory) as session:
        assert queries.open_request(session, "c1").id == request_id
        assert queries.held_request(session, "c1") is None
    state.take(factory, request_id, anna)
    with session_scope(factory) as session:
        assert queries.open_request(session, "c1").id == request_id
        assert queries.held_request(session, "c1").id == request_id
    state.close(factory, request_id, anna, "resolved")
    with session_scope(factory) as session:
        assert queries.open_request(session, "c1") is None
        assert queries.held_request(session, "c1") is None


def test_latest_request_whatever_its_state(factory, anna, new_request):
    assert queries.latest_request(factory, "c1") is None
    first = new_request("c1")
    state.take(factory, first, anna)
    state.hand_back(factory, first, anna)
    assert queries.latest_request(factory, "c1").status == "handed_back"
    second = new_request("c1")
    assert queries.latest_request(factory, "c1").id == second != first


def test_counsellor_name_and_counsellors_online(factory, add_user):
    anna, bram, tina = add_user("anna"), add_user("bram"), add_user("tina", role="trainer")
    assert queries.counsellor_name(factory, anna) == "Anna"
    assert queries.counsellor_name(factory, None) == ""
    assert queries.counsellor_name(factory, 999) == ""
    assert queries.counsellors_online(factory) == 0
    for user_id in (anna, anna, tina):
        start_session(factory, user_id)
    assert queries.counsellors_online(factory) == 1  # anna once; a trainer serves nobody
    start_session(factory, bram)
    assert queries.counsellors_online(factory) == 2
    assert queries.counsellors_online(factory, within=timedelta(seconds=-1)) == 0


def test_the_queue_signature_changes_with_the_queue(factory, anna, new_request):
    empty = queries.queue_signature(factory)
    request_id = new_request("c1")
    waiting = queries.queue_signature(factory)
    assert waiting != empty
    assert queries.queue_signature(factory) == waiting  # nothing new, same signature
    state.take(factory, request_id, anna)
    assert queries.queue_signature(factory) not in (empty, waiting)
    state.close(factory, request_id, anna, "resolved")
    assert queries.queue_signature(factory) == empty


def test_the_conversation_signature_changes_with_news(factory, anna, new_request):
    assert queries.conversation_signature(factory, 999) == ""
    request_id = new_request("c1")
    assert queries.conversation_signature(factory, request_id).startswith("waiting|")
    state.take(factory, request_id, anna)
    taken = queries.conversation_signature(factory, request_id)
    assert taken.startswith("active|")
    assert queries.conversation_signature(factory, request_id) == taken
    messages.record_citizen_message(factory, "c1", "hallo?")
    assert queries.conversation_signature(factory, request_id) != taken

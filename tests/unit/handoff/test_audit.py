"""Counsellor actions in the audit trail: ids, states and outcomes, never a text (SQLite)."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.audit import AuditEvent
from bot.db import session_scope
from bot.handoff import messages, state
from bot.handoff.audit import (
    ACCESS_REFUSED,
    PERSONAL_DATA_REVEALED,
    QUEUE_VIEWED,
    SUMMARY_VIEWED,
    record_console_event,
    record_reveal,
)


def audit_events(factory) -> list[AuditEvent]:
    with session_scope(factory) as session:
        return list(session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars())


def test_audit_events_hold_no_message_text(factory, anna, new_request):
    request_id = new_request()
    state.take(factory, request_id, anna)
    messages.add_counsellor_message(factory, request_id, anna, "Uw rijksregisternummer 85073003328")
    messages.record_citizen_message(factory, "conv-1", "mijn naam is Jan Peeters")
    state.close(factory, request_id, anna, "resolved")
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


def test_a_reveal_names_the_field_never_its_value(factory, anna, new_request):
    request_id = new_request()
    record_reveal(factory, request_id, anna, "national_number")
    [event] = audit_events(factory)[1:]  # after handoff_requested
    assert (event.action, event.actor) == ("personal_data_revealed", f"counsellor:{anna}")
    assert event.conversation_id == "conv-1"
    assert json.loads(event.detail) == {"request_id": request_id, "field": "national_number"}


def test_a_reveal_of_a_transcript_item_names_the_item_and_its_kind(factory, anna, new_request):
    request_id = new_request()
    record_reveal(factory, request_id, anna, item="m12-1", kind="phone")
    [event] = audit_events(factory)[1:]
    assert event.action == PERSONAL_DATA_REVEALED and event.conversation_id == "conv-1"
    assert json.loads(event.detail) == {"request_id": request_id, "item": "m12-1", "kind": "phone"}


def test_views_and_refusals_name_who_what_which_and_when(factory, anna, bram, new_request):
    request_id = new_request()
    record_console_event(factory, anna, SUMMARY_VIEWED, request_id, status="waiting")
    record_console_event(factory, bram, QUEUE_VIEWED, waiting=[request_id], view="page")
    record_console_event(
        factory, bram, ACCESS_REFUSED, request_id, attempted="view", reason="held_by_other"
    )
    summary, queue, refusal = audit_events(factory)[1:]
    assert (summary.actor, summary.action, summary.conversation_id) == (
        f"counsellor:{anna}",
        SUMMARY_VIEWED,
        "conv-1",
    )
    assert json.loads(summary.detail) == {"request_id": request_id, "status": "waiting"}
    assert (queue.actor, queue.conversation_id) == (f"counsellor:{bram}", None)
    assert json.loads(queue.detail) == {"waiting": [request_id], "view": "page"}
    assert refusal.conversation_id == "conv-1" and refusal.action == ACCESS_REFUSED
    assert all(event.at is not None for event in (summary, queue, refusal))

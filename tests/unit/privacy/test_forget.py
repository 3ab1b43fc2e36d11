"""Forget-me in the assistant's database: this conversation's rows go, nothing else."""

from __future__ import annotations

import json

import pytest

from bot.handoff.models import WAITING
from bot.privacy.forget import (
    FORGOTTEN_ACTION,
    channel_kind,
    conversation_hash,
    forget_conversation,
)
from tests.unit.privacy.records import (
    PERSONAL_PAYLOAD,
    add_handoff,
    add_outbox,
    audit_rows,
    handoff_ids,
    message_count,
    outbox_rows,
)

ME, OTHER, KEY = "tg:424242", "tg:777", "test-key"


def test_forgetting_deletes_this_conversations_handoffs_and_final_outbox_records(databases):
    factory = databases.factory
    mine = [
        add_handoff(factory, ME, closed_days_ago=200, messages=3),
        add_handoff(factory, ME, status=WAITING, closed_days_ago=None),
    ]
    others = [add_handoff(factory, OTHER), add_handoff(factory, OTHER, status=WAITING)]
    delivered = add_outbox(factory, ME, status="delivered")
    rejected = add_outbox(factory, ME, status="rejected")
    pending = add_outbox(factory, ME, status="pending")
    other_delivered = add_outbox(factory, OTHER, status="delivered")

    forgotten = forget_conversation(factory, ME, channel="tg", key=KEY)

    hashed = conversation_hash(ME, KEY)
    assert (forgotten.handoff_requests, forgotten.handoff_messages) == (2, 5)
    assert (forgotten.outbox_deleted, forgotten.outbox_kept) == (2, 1)
    assert handoff_ids(factory, ME) == [] and message_count(factory, mine) == 0
    assert handoff_ids(factory) == others and message_count(factory, others) == 4
    rows = outbox_rows(factory)
    assert delivered not in rows and rejected not in rows
    # Never lose a submission: the pending one stays, named by the hash only.
    assert rows[pending] == ("pending", hashed)
    assert rows[other_delivered] == ("delivered", OTHER)


def test_the_audit_trail_names_the_conversation_by_a_keyed_hash_only(databases):
    factory = databases.factory
    add_handoff(factory, ME)  # audits "handoff_requested" with the raw id
    add_handoff(factory, OTHER)

    forget_conversation(factory, ME, channel="tg", key=KEY)

    [row] = audit_rows(factory, FORGOTTEN_ACTION)
    hashed = conversation_hash(ME, KEY)
    assert row["actor"] == "citizen" and row["conversation_id"] == hashed
    assert row["detail"] == {
        "channel": "tg",
        "handoff_requests": 1,
        "handoff_messages": 2,
        "outbox_deleted": 0,
        "outbox_kept": 0,
        "audit_rows_pseudonymised": 1,
    }
    trail = audit_rows(factory)
    assert [r["conversation_id"] for r in trail] == [hashed, OTHER, hashed]
    everything = json.dumps(trail)
    assert "424242" not in everything
    assert not any(value in everything for value in PERSONAL_PAYLOAD.values() if len(value) > 4)


def test_forgetting_a_conversation_with_nothing_stored_leaves_only_the_audit_row(databases):
    factory = databases.factory
    add_handoff(factory, OTHER)
    forgotten = forget_conversation(factory, "rest:nobody", channel="rest", key=KEY)
    assert forgotten.handoff_requests == forgotten.outbox_deleted == forgotten.outbox_kept == 0
    assert len(handoff_ids(factory, OTHER)) == 1
    assert len(audit_rows(factory, FORGOTTEN_ACTION)) == 1


def test_the_hash_is_keyed_and_stable():
    assert conversation_hash(ME, KEY) == conversation_hash(ME, KEY)
    assert conversation_hash(ME, KEY) != conversation_hash(ME, "another key")
    assert conversation_hash(ME, KEY) != conversation_hash(OTHER, KEY)
    assert ME not in conversation_hash(ME, KEY) and "424242" not in conversation_hash(ME, KEY)
    assert len(conversation_hash(ME, KEY)) <= 128  # fits audit_events.conversation_id


@pytest.mark.parametrize(
    ("conversation_id", "latest_channel", "kind"),
    [
        ("rest:me", "rest", "rest"),
        ("web:3f2a", "socketio", "web"),
        ("tg:12345", "telegram", "tg"),
        ("12345", "telegram", "telegram"),  # a conversation from before the prefixes
        ("mailto:x", None, "unknown"),
    ],
)
def test_channel_kind(conversation_id, latest_channel, kind):
    assert channel_kind(conversation_id, latest_channel) == kind

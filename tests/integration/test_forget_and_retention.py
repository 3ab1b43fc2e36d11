"""Privacy end to end over REST: the notice, "delete my data" and retention on real servers.

The stack's Rasa server runs the project's tracker store (bot/privacy/tracker_store.py), the
action server the privacy actions; the databases are read directly afterwards.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest

from bot.agency.models import OutboxSubmission
from bot.db import make_engine, make_session_factory, session_scope, utc_now
from bot.handoff.models import HandoffMessage
from bot.settings import SUPPORTED_LANGUAGES, load_settings
from tests.agency_support import national_number
from tests.support import Chat, privacy_notice, rows, t

pytestmark = pytest.mark.integration


notice = privacy_notice
EVERY_LANGUAGE = privacy_notice(None)


def tracker_events(stack, conversation_id: str) -> int:
    found = rows(
        f"sqlite:///{stack.root / 'tracker.db'}",
        "SELECT COUNT(*) AS n FROM events WHERE sender_id = :s",
        s=conversation_id,
    )
    return found[0]["n"]


def test_a_new_conversation_begins_with_the_privacy_notice_in_every_language(stack):
    chat = stack.chat(f"notice-{uuid.uuid4().hex[:8]}")
    replies = chat.send("hallo")
    assert replies[0]["text"] == EVERY_LANGUAGE, chat.dump()
    assert not replies[0].get("buttons")
    # The greeting follows, untouched: the choice of language.
    greeting = chat.text(replies[1:])
    assert all(t("utter_choose_language", code) in greeting for code in SUPPORTED_LANGUAGES)
    assert '/switch_language{"language": "fr"}' in chat.payloads(replies[1:])
    # Once per session: not with the next answer.
    replies = chat.send('/switch_language{"language": "fr"}')
    assert notice("fr") not in chat.text(replies)
    assert t("utter_language_switched", "fr") in chat.text(replies)


def register(chat: Chat, number: str) -> str:
    """A registration in Dutch up to the reference; the reference."""
    chat.send('/switch_language{"language": "nl"}')
    chat.send("/register_jobseeker")
    for answer in (number, "Jan", "Peeters", "12/03/1988", "9000", "0470 12 34 56"):
        chat.send(answer)
    chat.send("/deny")  # no e-mail
    chat.send('/inform{"education_level": "secondary"}')
    chat.send('/inform{"occupation": "kok"}')
    done = chat.text(chat.send("/affirm"))
    references = chat.slots()["known_references"] or []
    assert references and references[-1] in done, chat.dump()
    return references[-1]


def add_rows(database_url: str, conversation_id: str, request_id: int) -> tuple[str, str]:
    """A message on the conversation's handoff request, a submission of the conversation
    still waiting for the agency, and a delivered one of another conversation."""
    engine = make_engine(database_url)
    factory, now = make_session_factory(engine), utc_now()
    pending, other = f"Q-P{uuid.uuid4().hex[:7].upper()}", f"Q-O{uuid.uuid4().hex[:7].upper()}"
    with session_scope(factory) as session:
        session.add(
            HandoffMessage(
                handoff_id=request_id, direction="citizen", text="mijn nummer is 85073003328"
            )
        )
        for reference, owner, status in (
            (pending, conversation_id, "pending"),
            (other, "rest:someone-else", "delivered"),
        ):
            session.add(
                OutboxSubmission(
                    local_reference=reference,
                    kind="document_request",
                    idempotency_key=f"test-{reference}",
                    payload={"national_number": "85073003328"},
                    conversation_id=owner,
                    status=status,
                    attempts=1,
                    created_at=now,
                    updated_at=now,
                    # Not due during the test: the worker leaves it alone.
                    next_attempt_at=now + timedelta(days=1) if status == "pending" else None,
                )
            )
    engine.dispose()
    return pending, other


def test_forget_me_deletes_the_conversation_and_the_next_message_starts_anew(stack):
    chat = stack.chat(f"forget-{uuid.uuid4().hex[:8]}")
    conversation_id = chat.conversation_id
    number = national_number(random.randint(1, 997), birth="880312")
    try:
        chat.send("hallo")
        reference = register(chat, number)
        assert chat.slots()["national_number"] is None  # final: the answers are dropped
        chat.send("/human_handoff")
        [request] = rows(
            stack.assistant_db,
            "SELECT id FROM handoff_requests WHERE conversation_id = :c",
            c=conversation_id,
        )
        pending, other = add_rows(stack.assistant_db, conversation_id, request["id"])
        assert tracker_events(stack, conversation_id) > 0

        replies = chat.send("verwijder mijn gegevens")
        assert t("utter_confirm_forget", "nl") in chat.text(replies)
        assert "/forget_me_confirmed" in chat.payloads(replies)
        replies = chat.send("/forget_me_confirmed")
    except AssertionError:
        print(chat.dump())
        raise

    assert t("utter_forgotten", "nl") in chat.text(replies)
    assert {"clear_conversation": True} in [r.get("custom") for r in replies]

    # Rasa's copy: nothing stored, nothing old shown.
    assert tracker_events(stack, conversation_id) == 0
    shown = chat.tracker()
    assert [e for e in shown["events"] if e["event"] == "user"] == []
    assert "Peeters" not in json.dumps(shown) and number not in json.dumps(shown)
    assert shown["slots"]["language"] is None and shown["slots"]["known_references"] is None
    assert tracker_events(stack, conversation_id) == 0  # reading stored nothing

    # The assistant's database: this conversation's rows are gone, the rest stays.
    assert (
        rows(
            stack.assistant_db,
            "SELECT id FROM handoff_requests WHERE conversation_id = :c",
            c=conversation_id,
        )
        == []
    )
    assert (
        rows(
            stack.assistant_db,
            "SELECT id FROM handoff_messages WHERE handoff_id = :r",
            r=request["id"],
        )
        == []
    )
    outbox = {
        r["local_reference"]: r
        for r in rows(
            stack.assistant_db,
            "SELECT local_reference, agency_reference, status, conversation_id"
            " FROM outbox_submissions",
        )
    }
    assert not [
        r for r in outbox.values() if reference in (r["local_reference"], r["agency_reference"])
    ]
    assert outbox[pending]["status"] == "pending"  # never lose a submission
    assert outbox[pending]["conversation_id"].startswith("hmac:")
    assert outbox[other]["conversation_id"] == "rest:someone-else"

    # The audit trail: one row, counts and the channel, the conversation as a hash only.
    audit = rows(stack.assistant_db, "SELECT * FROM audit_events ORDER BY id")
    hashed = outbox[pending]["conversation_id"]
    mine = [r for r in audit if r["conversation_id"] == hashed]
    # The earlier rows of the conversation are renamed to the hash too.
    assert "handoff_requested" in [r["action"] for r in mine]
    assert [r["action"] for r in mine][-1] == "conversation_forgotten"
    forgotten = mine[-1]
    detail = json.loads(forgotten["detail"])
    assert forgotten["actor"] == "citizen"
    assert detail["channel"] == "rest" and detail["handoff_requests"] == 1
    assert detail["handoff_messages"] >= 1 and detail["outbox_deleted"] >= 1
    assert detail["outbox_kept"] == 1
    trail = json.dumps(audit, default=str)
    assert chat.sender not in trail and number not in trail and "Peeters" not in trail

    # The next message starts a new conversation: the notice again, every language.
    replies = chat.send("hallo")
    assert replies[0]["text"] == EVERY_LANGUAGE, chat.dump()
    assert tracker_events(stack, conversation_id) > 0


def test_retention_from_the_command_line_on_the_servers_databases(stack):
    chat = stack.chat(f"retention-{uuid.uuid4().hex[:8]}")
    chat.send("hallo")
    before = tracker_events(stack, chat.conversation_id)
    command = [sys.executable, "-m", "bot.ops.cli", "retention"]
    env = {**os.environ, **stack.env}  # the servers' databases
    dry = subprocess.run(
        [*command, "--dry-run"], env=env, capture_output=True, text=True, timeout=120
    )
    assert dry.returncode == 0, dry.stderr[-2000:]
    days = load_settings().retention_days
    assert dry.stdout.startswith(f"retention ({days} days) would delete: tracker_conversations=0,")
    real = subprocess.run(
        [*command, "--days", "1"], env=env, capture_output=True, text=True, timeout=120
    )
    assert real.returncode == 0, real.stderr[-2000:]
    assert "deleted: tracker_conversations=0, tracker_sessions=0, tracker_events=0" in real.stdout
    assert chat.sender not in dry.stdout + real.stdout
    assert tracker_events(stack, chat.conversation_id) == before

"""Acting on one conversation over HTTP: take, reply, hand back, close; only the holder,
and every refused attempt audited."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.handoff import messages, models
from bot.handoff.audit import ACCESS_REFUSED
from tests.unit.console.helpers import (
    CONVERSATION,
    audit_details,
    audit_events,
    post,
    status_of,
    take,
)

JSON = {"Accept": "application/json"}

# --- take -----------------------------------------------------------------------------


async def test_take_answers_json_when_asked(console, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    won = await post(
        anna, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": anna_token, **JSON}
    )
    assert won.status == 200 and await won.json() == {"taken": True}
    lost = await post(
        bram, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": bram_token, **JSON}
    )
    assert lost.status == 409 and await lost.json() == {"taken": False}
    assert status_of(db, waiting_id).counsellor_id == db.ids["anna"]
    [refusal] = audit_events(db, ACCESS_REFUSED)
    assert refusal.actor == f"counsellor:{db.ids['bram']}"
    assert json.loads(refusal.detail) == {
        "request_id": waiting_id,
        "attempted": "take",
        "reason": "held_by_other",
        "status": "active",
    }


async def test_take_of_an_unknown_request_is_404(console, db):
    client, token = await console.counsellor("anna")
    for request_id in ("999", "abc"):
        answer = await post(client, f"/handoffs/{request_id}/take", {"csrf_token": token})
        assert answer.status == 404


async def test_two_counsellors_taking_at_once_exactly_one_wins(console, rasa_stub, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    answers = await asyncio.gather(
        post(anna, f"/handoffs/{waiting_id}/take", {"csrf_token": anna_token}),
        post(bram, f"/handoffs/{waiting_id}/take", {"csrf_token": bram_token}),
    )
    assert [a.status for a in answers] == [303, 303]
    locations = [a.headers["Location"] for a in answers]
    assert sorted(locations) == ["/?notice=taken_by_other", f"/handoffs/{waiting_id}"]
    winner = ("anna", "bram")[locations.index(f"/handoffs/{waiting_id}")]
    row = status_of(db, waiting_id)
    assert row.status == models.ACTIVE and row.counsellor_id == db.ids[winner]
    assert len(rasa_stub.syncs()) == 1
    assert len(audit_events(db, "handoff_taken")) == 1
    assert [d["attempted"] for d in audit_details(db, ACCESS_REFUSED)] == ["take"]

    # The loser sees the notice.
    loser = bram if winner == "anna" else anna
    page = await loser.get("/?notice=taken_by_other")
    assert "Another counsellor took that conversation first." in await page.text()


# --- replies ------------------------------------------------------------------------


async def test_the_holder_replies(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": "  Hello, I am Anna.  "},
        headers={**JSON, "X-CSRF-Token": token},
    )
    assert answer.status == 200
    body = await answer.json()
    assert body == {"message_id": body["message_id"], "delivered": True}
    stored = messages.conversation_messages(db.factory, waiting_id)
    assert [(m.id, m.direction, m.text) for m in stored] == [
        (body["message_id"], "counsellor", "Hello, I am Anna.")
    ]
    assert rasa_stub.syncs() == [{"output_channel": "latest"}] * 2  # take and reply
    assert rasa_stub.refused == []

    # The plain form answers with a redirect to the conversation.
    form = await post(
        client, f"/handoffs/{waiting_id}/reply", {"text": "Second", "csrf_token": token}
    )
    assert form.status == 303 and form.headers["Location"] == f"/handoffs/{waiting_id}"
    assert [m.text for m in messages.conversation_messages(db.factory, waiting_id)] == [
        "Hello, I am Anna.",
        "Second",
    ]
    assert audit_events(db, ACCESS_REFUSED) == []


async def test_a_counsellor_who_does_not_hold_it_cannot_reply_and_it_is_audited(
    console, rasa_stub, db, held_id
):
    bram, bram_token = await console.counsellor("bram")
    syncs = len(rasa_stub.syncs())
    answer = await post(
        bram,
        f"/handoffs/{held_id}/reply",
        {"text": "I am not the holder"},
        headers={**JSON, "X-CSRF-Token": bram_token},
    )
    assert answer.status == 409
    assert await answer.json() == {"error": "not_yours"}
    form = await post(bram, f"/handoffs/{held_id}/reply", {"text": "x", "csrf_token": bram_token})
    assert form.status == 303 and form.headers["Location"] == "/?notice=not_yours"
    assert messages.conversation_messages(db.factory, held_id) == []
    assert len(rasa_stub.syncs()) == syncs
    refusals = audit_events(db, ACCESS_REFUSED)
    assert [e.actor for e in refusals] == [f"counsellor:{db.ids['bram']}"] * 2
    assert {e.conversation_id for e in refusals} == {CONVERSATION}
    assert json.loads(refusals[0].detail) == {
        "request_id": held_id,
        "attempted": "reply",
        "reason": "held_by_other",
        "status": "active",
    }
    assert "I am not the holder" not in " ".join(e.detail for e in refusals)


async def test_nobody_replies_to_a_waiting_request(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": "too early"},
        headers={**JSON, "X-CSRF-Token": token},
    )
    assert answer.status == 409
    assert messages.conversation_messages(db.factory, waiting_id) == []
    assert [d["reason"] for d in audit_details(db, ACCESS_REFUSED)] == ["not_taken"]


@pytest.mark.parametrize("text", ["", "   \n ", "x" * (messages.MAX_MESSAGE_LENGTH + 1)])
async def test_an_empty_or_too_long_reply_is_400(console, db, waiting_id, text):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": text},
        headers={**JSON, "X-CSRF-Token": token},
    )
    assert answer.status == 400
    assert await answer.json() == {"error": "empty_or_too_long"}
    assert messages.conversation_messages(db.factory, waiting_id) == []


# --- hand back and close ------------------------------------------------------------


async def test_the_holder_hands_back(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(client, f"/handoffs/{waiting_id}/hand-back", {"csrf_token": token})
    assert answer.status == 303 and answer.headers["Location"] == "/?notice=handed_back"
    row = status_of(db, waiting_id)
    assert row.status == models.HANDED_BACK and row.closed_at is not None
    assert len(rasa_stub.syncs()) == 2  # take and hand-back
    # Once handed back it is nobody's: a second hand-back is refused without a sync.
    again = await post(client, f"/handoffs/{waiting_id}/hand-back", {"csrf_token": token})
    assert again.headers["Location"] == "/?notice=not_yours"
    assert len(rasa_stub.syncs()) == 2
    assert audit_details(db, ACCESS_REFUSED) == [
        {
            "request_id": waiting_id,
            "attempted": "hand_back",
            "reason": "finished",
            "status": "handed_back",
        }
    ]


@pytest.mark.parametrize("who", ["bram", "ada"])  # another counsellor, an admin
async def test_someone_who_does_not_hold_it_cannot_hand_back_or_close(
    console, rasa_stub, db, held_id, who
):
    client, token = await console.counsellor(who)
    for route, data in (("hand-back", {}), ("close", {"outcome": "resolved"})):
        answer = await post(client, f"/handoffs/{held_id}/{route}", {**data, "csrf_token": token})
        assert answer.status == 303 and answer.headers["Location"] == "/?notice=not_yours"
    row = status_of(db, held_id)
    assert row.status == models.ACTIVE and row.counsellor_id == db.ids["anna"]
    assert rasa_stub.syncs() == []
    refusals = audit_events(db, ACCESS_REFUSED)
    assert [e.actor for e in refusals] == [f"counsellor:{db.ids[who]}"] * 2
    assert [json.loads(e.detail)["attempted"] for e in refusals] == ["hand_back", "close"]


async def test_an_admin_who_does_not_hold_it_cannot_reply(console, db, held_id):
    admin, token = await console.counsellor("ada")
    answer = await post(
        admin,
        f"/handoffs/{held_id}/reply",
        {"text": "admin here"},
        headers={**JSON, "X-CSRF-Token": token},
    )
    assert answer.status == 409
    assert messages.conversation_messages(db.factory, held_id) == []
    assert [d["attempted"] for d in audit_details(db, ACCESS_REFUSED)] == ["reply"]


async def test_the_holder_closes_with_an_outcome(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/close", {"outcome": "resolved", "csrf_token": token}
    )
    assert answer.status == 303 and answer.headers["Location"] == "/?notice=closed"
    row = status_of(db, waiting_id)
    assert row.status == models.CLOSED and row.outcome == "resolved"
    assert row.closed_at is not None
    assert len(rasa_stub.syncs()) == 2
    [event] = audit_events(db, "handoff_closed")
    assert json.loads(event.detail) == {"outcome": "resolved", "request_id": waiting_id}


@pytest.mark.parametrize("outcome", ["", "solved", "RESOLVED"])
async def test_closing_with_an_invalid_outcome_is_400(console, rasa_stub, db, waiting_id, outcome):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/close", {"outcome": outcome, "csrf_token": token}
    )
    assert answer.status == 400
    row = status_of(db, waiting_id)
    assert row.status == models.ACTIVE and row.outcome is None
    assert len(rasa_stub.syncs()) == 1

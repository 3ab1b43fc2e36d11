"""One conversation over HTTP: take, reply, reveal, hand back, close; Rasa down."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.console.rasa_api import RasaApi
from bot.handoff import messages, models
from tests.unit.console.helpers import (
    BOT_TEXT,
    CITIZEN_TEXT,
    CONVERSATION,
    NATIONAL_NUMBER,
    PHONE,
    audit_events,
    closed_port,
    post,
    status_of,
    take,
)

# --- take -----------------------------------------------------------------------------


async def test_take_answers_json_when_asked(console, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    json_accept = {"Accept": "application/json"}
    won = await post(
        anna, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": anna_token, **json_accept}
    )
    assert won.status == 200 and await won.json() == {"taken": True}
    lost = await post(
        bram, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": bram_token, **json_accept}
    )
    assert lost.status == 409 and await lost.json() == {"taken": False}
    assert status_of(db, waiting_id).counsellor_id == db.ids["anna"]


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
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 200
    body = await answer.json()
    assert body == {"message_id": body["message_id"], "delivered": True}
    stored = messages.conversation_messages(db.factory, waiting_id)
    assert [(m.id, m.direction, m.text) for m in stored] == [
        (body["message_id"], "counsellor", "Hello, I am Anna.")
    ]
    assert len(rasa_stub.syncs()) == 2  # take and reply

    # The plain form answers with a redirect to the conversation.
    form = await post(
        client, f"/handoffs/{waiting_id}/reply", {"text": "Second", "csrf_token": token}
    )
    assert form.status == 303 and form.headers["Location"] == f"/handoffs/{waiting_id}"
    assert [m.text for m in messages.conversation_messages(db.factory, waiting_id)] == [
        "Hello, I am Anna.",
        "Second",
    ]


async def test_a_counsellor_who_does_not_hold_it_cannot_reply(console, rasa_stub, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    await take(anna, anna_token, waiting_id)
    syncs = len(rasa_stub.syncs())
    answer = await post(
        bram,
        f"/handoffs/{waiting_id}/reply",
        {"text": "I am not the holder"},
        headers={"Accept": "application/json", "X-CSRF-Token": bram_token},
    )
    assert answer.status == 409
    assert await answer.json() == {"error": "not_yours"}
    assert messages.conversation_messages(db.factory, waiting_id) == []
    assert len(rasa_stub.syncs()) == syncs
    form = await post(
        bram, f"/handoffs/{waiting_id}/reply", {"text": "x", "csrf_token": bram_token}
    )
    assert form.status == 303 and form.headers["Location"] == "/?notice=not_yours"
    assert messages.conversation_messages(db.factory, waiting_id) == []


async def test_nobody_replies_to_a_waiting_request(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": "too early"},
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 409
    assert messages.conversation_messages(db.factory, waiting_id) == []


@pytest.mark.parametrize("text", ["", "   \n ", "x" * (messages.MAX_MESSAGE_LENGTH + 1)])
async def test_an_empty_or_too_long_reply_is_400(console, db, waiting_id, text):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": text},
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 400
    assert await answer.json() == {"error": "empty_or_too_long"}
    assert messages.conversation_messages(db.factory, waiting_id) == []


# --- the conversation page and reveal -----------------------------------------------


async def test_the_conversation_page_masks_personal_data(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    page = await client.get(f"/handoffs/{waiting_id}")
    assert page.status == 200
    html = await page.text()
    assert CITIZEN_TEXT in html and BOT_TEXT in html  # the tracker's transcript
    assert NATIONAL_NUMBER not in html and PHONE not in html
    assert "•" * (len(NATIONAL_NUMBER) - 2) + NATIONAL_NUMBER[-2:] in html
    assert "•" * (len(PHONE) - 2) + PHONE[-2:] in html
    assert "Lotte" in html  # not a masked field
    assert 'data-field="national_number"' in html  # the holder may reveal
    assert rasa_stub.tracker_reads[-1] == (
        CONVERSATION,
        {"token": "t", "include_events": "AFTER_RESTART"},
    )

    # Another counsellor reads it masked too, without the reveal button or reply form.
    bram, _ = await console.counsellor("bram")
    other = await (await bram.get(f"/handoffs/{waiting_id}")).text()
    assert NATIONAL_NUMBER not in other and 'data-field="national_number"' not in other
    assert 'id="reply-form"' not in other

    fragment = await (await client.get(f"/handoffs/{waiting_id}/transcript")).text()
    assert CITIZEN_TEXT in fragment and NATIONAL_NUMBER not in fragment


async def test_an_unknown_conversation_page_is_404(console, db):
    client, _ = await console.counsellor("anna")
    assert (await client.get("/handoffs/12345")).status == 404
    assert (await client.get("/handoffs/nope")).status == 404


HUGE_ID = "9" * 20  # beyond a 64-bit integer


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/handoffs/{HUGE_ID}"),
        ("GET", f"/handoffs/{HUGE_ID}/transcript"),
        ("POST", f"/handoffs/{HUGE_ID}/take"),
    ],
)
async def test_an_out_of_range_conversation_id_is_404(console, db, method, path):
    client, token = await console.counsellor("anna")
    if method == "GET":
        answer = await client.get(path, allow_redirects=False)
    else:
        answer = await post(client, path, {"csrf_token": token})
    assert answer.status == 404


async def test_the_holder_reveals_a_field_and_it_is_audited(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reveal",
        {"field": "national_number", "csrf_token": token},
    )
    assert answer.status == 200
    assert await answer.json() == {
        "field": "national_number",
        "label": "National register number",
        "value": NATIONAL_NUMBER,
    }
    events = audit_events(db, "personal_data_revealed")
    assert len(events) == 1
    event = events[0]
    assert event.actor == f"counsellor:{db.ids['anna']}"
    assert event.conversation_id == CONVERSATION
    assert json.loads(event.detail) == {"field": "national_number", "request_id": waiting_id}
    assert NATIONAL_NUMBER not in event.detail


async def test_a_non_holder_cannot_reveal(console, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    # Nobody holds it yet: refused.
    answer = await post(
        bram, f"/handoffs/{waiting_id}/reveal", {"field": "phone", "csrf_token": bram_token}
    )
    assert answer.status == 403
    await take(anna, anna_token, waiting_id)
    answer = await post(
        bram,
        f"/handoffs/{waiting_id}/reveal",
        {"field": "national_number", "csrf_token": bram_token},
    )
    assert answer.status == 403
    body = await answer.text()
    assert await answer.json() == {"error": "not_yours"}
    assert NATIONAL_NUMBER not in body
    assert audit_events(db, "personal_data_revealed") == []


@pytest.mark.parametrize("field", ["", "given_name", "password_hash", "national_number "])
async def test_revealing_an_unknown_field_is_400(console, db, waiting_id, field):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/reveal", {"field": field, "csrf_token": token}
    )
    assert answer.status == 400
    assert await answer.json() == {"error": "unknown_field"}
    assert audit_events(db, "personal_data_revealed") == []


async def test_revealing_an_empty_slot_is_404(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/reveal", {"field": "email", "csrf_token": token}
    )
    assert answer.status == 404
    assert audit_events(db, "personal_data_revealed") == []


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


async def test_a_non_holder_cannot_hand_back_or_close(console, rasa_stub, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    await take(anna, anna_token, waiting_id)
    for route, data in (("hand-back", {}), ("close", {"outcome": "resolved"})):
        answer = await post(
            bram, f"/handoffs/{waiting_id}/{route}", {**data, "csrf_token": bram_token}
        )
        assert answer.status == 303 and answer.headers["Location"] == "/?notice=not_yours"
    row = status_of(db, waiting_id)
    assert row.status == models.ACTIVE and row.counsellor_id == db.ids["anna"]
    assert len(rasa_stub.syncs()) == 1


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


# --- Rasa down ---------------------------------------------------------------------


async def test_the_console_works_while_rasa_is_down(make_console, db, waiting_id):
    console = await make_console(RasaApi(f"http://127.0.0.1:{closed_port()}", token="t"))
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    assert status_of(db, waiting_id).status == models.ACTIVE

    page = await client.get(f"/handoffs/{waiting_id}")
    assert page.status == 200
    assert "The assistant cannot be reached now." in await page.text()

    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": "Are you still there?"},
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 200
    body = await answer.json()
    assert body["delivered"] is False and isinstance(body["message_id"], int)
    [message] = messages.conversation_messages(db.factory, waiting_id)
    assert (message.id, message.text, message.delivered_at) == (
        body["message_id"],
        "Are you still there?",
        None,
    )
    # The undelivered reply shows as pending on the page.
    page = await client.get(f"/handoffs/{waiting_id}")
    assert "sending…" in await page.text() and "Are you still there?" in await page.text()

    reveal = await post(
        client, f"/handoffs/{waiting_id}/reveal", {"field": "phone", "csrf_token": token}
    )
    assert reveal.status == 503
    assert audit_events(db, "personal_data_revealed") == []

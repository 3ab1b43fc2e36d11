"""Reading one conversation over HTTP: who sees what, masked how, and the audit of each view."""

from __future__ import annotations

import json

import pytest

from bot.console.masking import mask
from bot.console.rasa_api import RasaApi
from bot.handoff import state
from bot.handoff.audit import ACCESS_REFUSED, SUMMARY_VIEWED, TRANSCRIPT_VIEWED
from tests.unit.console.helpers import (
    BIRTH_DATE_SHOWN,
    BOT_TEXT,
    CITIZEN_TEXT,
    CONTACT_TEXT,
    CONVERSATION,
    EMAIL,
    GIVEN_NAME,
    NATIONAL_NUMBER,
    PHONE,
    TOKEN,
    TYPED_NATIONAL_NUMBER,
    TYPED_PHONE,
    assert_no_personal_data,
    audit_details,
    audit_events,
    closed_port,
    post,
    take,
)

JSON = {"Accept": "application/json"}


def transcript_reads(rasa_stub) -> list:
    return [read for read in rasa_stub.tracker_reads if read[1]["include_events"] != "NONE"]


# --- the holder ------------------------------------------------------------------------


async def test_the_holder_reads_the_transcript_with_personal_data_masked(
    console, rasa_stub, db, waiting_id
):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    page = await client.get(f"/handoffs/{waiting_id}")
    assert page.status == 200
    html = await page.text()
    assert CITIZEN_TEXT in html and BOT_TEXT in html and "Anna answers you now." in html
    assert_no_personal_data(html)
    # The typed national number answered its question: masked whole, one item.
    assert f'<span class="masked" id="item-m5-0">{mask(TYPED_NATIONAL_NUMBER)}</span>' in html
    # The birth date inside the assistant's sentence, and the phone and e-mail the citizen
    # wrote to the counsellor: each masked on its own, the words around them kept.
    assert f'Born on <span class="masked" id="item-m9-0">{mask(BIRTH_DATE_SHOWN)}</span>' in html
    assert f'id="item-m14-0">{mask(TYPED_PHONE)}</span>' in html
    assert f'id="item-m14-1">{mask(EMAIL)}</span>' in html
    assert "You can call me on " in html and " or write to " in html
    for item in ("m5-0", "m9-0", "m14-0", "m14-1"):
        assert f'data-item="{item}"' in html  # the holder may reveal each one
    # The form fields, as before: masked but for the last two characters.
    assert mask(NATIONAL_NUMBER) in html and mask(PHONE) in html
    assert GIVEN_NAME in html and 'data-field="national_number"' in html
    assert 'id="reply-form"' in html

    # Rasa is asked with the token in the header, never in the URL.
    assert transcript_reads(rasa_stub)[-1] == (CONVERSATION, {"include_events": "AFTER_RESTART"})
    assert rasa_stub.refused == [] and all("token" not in url for url in rasa_stub.urls)

    [event] = audit_events(db, TRANSCRIPT_VIEWED)
    assert event.actor == f"counsellor:{db.ids['anna']}"
    assert event.conversation_id == CONVERSATION and event.at is not None
    assert json.loads(event.detail) == {
        "request_id": waiting_id,
        "access": "holder",
        "status": "active",
        "view": "page",
    }


async def test_the_live_transcript_is_masked_and_each_refresh_audited(console, db, held_id):
    client, _ = await console.counsellor("anna")
    fragment = await client.get(f"/handoffs/{held_id}/transcript")
    assert fragment.status == 200
    html = await fragment.text()
    assert CITIZEN_TEXT in html and 'data-item="m5-0"' in html
    assert_no_personal_data(html)
    await client.get(f"/handoffs/{held_id}/transcript")
    views = [d["view"] for d in audit_details(db, TRANSCRIPT_VIEWED)]
    assert views == ["live", "live"]


# --- a waiting conversation: the summary only ------------------------------------------


async def test_a_waiting_conversation_shows_only_what_it_takes_to_take_it(
    console, rasa_stub, db, waiting_id
):
    client, _ = await console.counsellor("bram")
    page = await client.get(f"/handoffs/{waiting_id}")
    assert page.status == 200
    html = await page.text()
    for shown in ("VDAB", "NL", "Telegram", "asked for a person", "Registration · at: Given name"):
        assert shown in html, shown
    assert "Take this conversation" in html and "data-since=" in html
    # No message, no name, no number, not even the chat id.
    for hidden in (CITIZEN_TEXT, BOT_TEXT, "Anna answers you now.", GIVEN_NAME, "4242"):
        assert hidden not in html, hidden
    assert_no_personal_data(html)
    assert "data-item=" not in html and "data-field=" not in html
    # Only the tracker's state was read (no events, so no message left Rasa), for the
    # queue (after the login) and for this page.
    assert transcript_reads(rasa_stub) == []
    assert rasa_stub.tracker_reads == [(CONVERSATION, {"include_events": "NONE"})] * 2

    [event] = audit_events(db, SUMMARY_VIEWED)
    assert event.actor == f"counsellor:{db.ids['bram']}" and event.conversation_id == CONVERSATION
    assert json.loads(event.detail) == {"request_id": waiting_id, "status": "waiting"}

    # Its live transcript is refused, and the refusal audited.
    fragment = await client.get(f"/handoffs/{waiting_id}/transcript")
    assert fragment.status == 403
    assert CITIZEN_TEXT not in await fragment.text()
    assert audit_details(db, ACCESS_REFUSED) == [
        {"request_id": waiting_id, "attempted": "view", "reason": "not_taken", "status": "waiting"}
    ]
    assert transcript_reads(rasa_stub) == []


# --- held by someone else: refused ------------------------------------------------------


async def test_another_counsellor_cannot_read_a_held_conversation_and_it_is_audited(
    console, rasa_stub, db, held_id
):
    bram, _ = await console.counsellor("bram")
    for path in (f"/handoffs/{held_id}", f"/handoffs/{held_id}/transcript"):
        answer = await bram.get(path)
        assert answer.status == 403
        html = await answer.text()
        assert "Another counsellor holds this conversation" in html
        assert CITIZEN_TEXT not in html and GIVEN_NAME not in html
        assert_no_personal_data(html)
    as_json = await bram.get(f"/handoffs/{held_id}", headers=JSON)
    assert as_json.status == 403
    assert await as_json.json() == {"error": "not_yours", "reason": "held_by_other"}
    assert rasa_stub.tracker_reads == []  # nothing of the conversation was even fetched

    refusals = audit_events(db, ACCESS_REFUSED)
    assert len(refusals) == 3
    for event in refusals:
        assert event.actor == f"counsellor:{db.ids['bram']}"
        assert event.conversation_id == CONVERSATION
        assert json.loads(event.detail) == {
            "request_id": held_id,
            "attempted": "view",
            "reason": "held_by_other",
            "status": "active",
        }
    assert audit_events(db, TRANSCRIPT_VIEWED) == []


# --- finished conversations: admins only -----------------------------------------------


@pytest.mark.parametrize("finish", ["close", "hand_back"])
async def test_a_finished_conversation_is_for_admins_only(console, db, held_id, finish):
    anna_id = db.ids["anna"]
    if finish == "close":
        assert state.close(db.factory, held_id, anna_id, "resolved")
    else:
        assert state.hand_back(db.factory, held_id, anna_id)
    # Not even its former holder reads it any more.
    for username in ("anna", "bram"):
        client, _ = await console.counsellor(username)
        answer = await client.get(f"/handoffs/{held_id}")
        assert answer.status == 403
        html = await answer.text()
        assert "only an administrator can read it" in html and CITIZEN_TEXT not in html
    assert [d["reason"] for d in audit_details(db, ACCESS_REFUSED)] == ["finished", "finished"]

    admin, _ = await console.counsellor("ada")
    page = await admin.get(f"/handoffs/{held_id}")
    assert page.status == 200
    html = await page.text()
    assert CITIZEN_TEXT in html and "as an administrator" in html
    assert_no_personal_data(html)
    # Read-only: no reply, no reveal, no hand-back, no close.
    for control in ('id="reply-form"', "data-item=", "data-field=", "/hand-back", "/close"):
        assert control not in html, control
    [event] = audit_events(db, TRANSCRIPT_VIEWED)
    assert event.actor == f"counsellor:{db.ids['ada']}"
    assert json.loads(event.detail)["access"] == "admin"
    assert json.loads(event.detail)["status"] == ("closed" if finish == "close" else "handed_back")


async def test_an_admin_reads_a_conversation_someone_else_holds_read_only(console, db, held_id):
    admin, _ = await console.counsellor("ada")
    html = await (await admin.get(f"/handoffs/{held_id}")).text()
    assert CITIZEN_TEXT in html and 'id="reply-form"' not in html and "data-item=" not in html
    assert_no_personal_data(html)
    fragment = await admin.get(f"/handoffs/{held_id}/transcript")
    assert fragment.status == 200 and "data-item=" not in await fragment.text()
    assert [(d["access"], d["view"]) for d in audit_details(db, TRANSCRIPT_VIEWED)] == [
        ("admin", "page"),
        ("admin", "live"),
    ]


async def test_an_admin_reads_a_waiting_conversation_audited(console, db, waiting_id):
    admin, _ = await console.counsellor("ada")
    html = await (await admin.get(f"/handoffs/{waiting_id}")).text()
    assert CITIZEN_TEXT in html and "Take this conversation" in html
    assert_no_personal_data(html)
    assert [d["access"] for d in audit_details(db, TRANSCRIPT_VIEWED)] == ["admin"]


# --- unknown conversations ------------------------------------------------------------


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


# --- Rasa down ---------------------------------------------------------------------


async def test_the_console_works_while_rasa_is_down(make_console, db, waiting_id):
    console = await make_console(RasaApi(f"http://127.0.0.1:{closed_port()}", token=TOKEN))
    client, token = await console.counsellor("anna")
    # The queue and the summary still show, the task being unknown.
    summary = await (await client.get(f"/handoffs/{waiting_id}")).text()
    assert "Task in progress</dt><dd>unknown" in summary
    await take(client, token, waiting_id)

    page = await client.get(f"/handoffs/{waiting_id}")
    assert page.status == 200
    assert "The assistant cannot be reached now." in await page.text()

    text = f"Are you still there? I will call {TYPED_PHONE}."
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": text},
        headers={**JSON, "X-CSRF-Token": token},
    )
    assert answer.status == 200
    body = await answer.json()
    assert body["delivered"] is False and isinstance(body["message_id"], int)
    # The undelivered reply shows as pending on the page, its phone number masked.
    html = await (await client.get(f"/handoffs/{waiting_id}")).text()
    assert "sending…" in html and "Are you still there? I will call " in html
    assert TYPED_PHONE not in html and mask(TYPED_PHONE) in html

    reveal = await post(
        client, f"/handoffs/{waiting_id}/reveal", {"field": "phone", "csrf_token": token}
    )
    assert reveal.status == 503
    assert audit_events(db, "personal_data_revealed") == []
    assert CONTACT_TEXT not in html

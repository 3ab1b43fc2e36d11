"""Revealing personal data over HTTP: a form field or one item of the transcript, holder
only, one audit row per reveal naming what was revealed, never its value."""

from __future__ import annotations

import json

import pytest

from bot.handoff.audit import ACCESS_REFUSED, PERSONAL_DATA_REVEALED
from tests.unit.console.helpers import (
    BIRTH_DATE_SHOWN,
    CONVERSATION,
    EMAIL,
    NATIONAL_NUMBER,
    PERSONAL_VALUES,
    TYPED_NATIONAL_NUMBER,
    TYPED_PHONE,
    audit_details,
    audit_dump,
    audit_events,
    post,
)


async def reveal(client, token: str, request_id: int, **data: str):
    return await post(client, f"/handoffs/{request_id}/reveal", {**data, "csrf_token": token})


def assert_no_value_in_the_audit(db) -> None:
    dump = audit_dump(db)
    for value in PERSONAL_VALUES:
        assert value not in dump, value


# --- form fields ------------------------------------------------------------------------


async def test_the_holder_reveals_a_field_and_it_is_audited(console, db, held_id):
    client, token = await console.counsellor("anna")
    answer = await reveal(client, token, held_id, field="national_number")
    assert answer.status == 200
    assert await answer.json() == {
        "field": "national_number",
        "label": "National register number",
        "value": NATIONAL_NUMBER,
    }
    [event] = audit_events(db, PERSONAL_DATA_REVEALED)
    assert event.actor == f"counsellor:{db.ids['anna']}"
    assert event.conversation_id == CONVERSATION
    assert json.loads(event.detail) == {"field": "national_number", "request_id": held_id}
    assert_no_value_in_the_audit(db)


@pytest.mark.parametrize("field", ["", "given_name", "password_hash", "national_number "])
async def test_revealing_an_unknown_field_is_400(console, db, held_id, field):
    client, token = await console.counsellor("anna")
    answer = await reveal(client, token, held_id, field=field)
    assert answer.status == 400
    assert await answer.json() == {"error": "unknown_field"}
    assert audit_events(db, PERSONAL_DATA_REVEALED) == []


async def test_revealing_an_empty_slot_is_404(console, db, held_id):
    client, token = await console.counsellor("anna")
    answer = await reveal(client, token, held_id, field="email")
    assert answer.status == 404
    assert audit_events(db, PERSONAL_DATA_REVEALED) == []


# --- items of the transcript ----------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "kind", "value"),
    [
        ("m5-0", "national_number", TYPED_NATIONAL_NUMBER),  # a whole answer
        ("m9-0", "birth_date", BIRTH_DATE_SHOWN),  # inside the assistant's sentence
        ("m14-0", "phone", TYPED_PHONE),  # written to the counsellor
        ("m14-1", "email", EMAIL),
    ],
)
async def test_the_holder_reveals_one_item_of_the_transcript(
    console, db, held_id, item, kind, value
):
    client, token = await console.counsellor("anna")
    answer = await reveal(client, token, held_id, item=item)
    assert answer.status == 200
    body = await answer.text()
    assert json.loads(body) == {"item": item, "kind": kind, "value": value}
    # One item only: none of the others comes with it.
    for other in {TYPED_NATIONAL_NUMBER, BIRTH_DATE_SHOWN, TYPED_PHONE, EMAIL} - {value}:
        assert other not in body
    [event] = audit_events(db, PERSONAL_DATA_REVEALED)
    assert event.actor == f"counsellor:{db.ids['anna']}"
    assert event.conversation_id == CONVERSATION
    assert json.loads(event.detail) == {"request_id": held_id, "item": item, "kind": kind}
    assert_no_value_in_the_audit(db)


async def test_each_reveal_is_its_own_audit_row(console, db, held_id):
    client, token = await console.counsellor("anna")
    for item in ("m14-0", "m14-1", "m14-0"):
        assert (await reveal(client, token, held_id, item=item)).status == 200
    assert [d["item"] for d in audit_details(db, PERSONAL_DATA_REVEALED)] == [
        "m14-0",
        "m14-1",
        "m14-0",
    ]


@pytest.mark.parametrize("item", ["m3-0", "m5-1", "m999-0"])  # plain text, past the end
async def test_an_item_that_is_not_personal_data_is_404(console, db, held_id, item):
    client, token = await console.counsellor("anna")
    answer = await reveal(client, token, held_id, item=item)
    assert answer.status == 404 and await answer.json() == {"error": "unknown_item"}
    assert audit_events(db, PERSONAL_DATA_REVEALED) == []


@pytest.mark.parametrize("item", ["5-0", "m5", "m5-0 ", "item-m5-0", "m-1-0", "m" + "9" * 9 + "-0"])
async def test_a_malformed_item_is_400(console, db, held_id, item):
    client, token = await console.counsellor("anna")
    answer = await reveal(client, token, held_id, item=item)
    assert answer.status == 400 and await answer.json() == {"error": "unknown_item"}
    assert audit_events(db, PERSONAL_DATA_REVEALED) == []


# --- refusals ---------------------------------------------------------------------------


async def test_nobody_reveals_on_a_waiting_conversation(console, rasa_stub, db, waiting_id):
    bram, token = await console.counsellor("bram")
    answer = await reveal(bram, token, waiting_id, field="phone")
    assert answer.status == 403 and await answer.json() == {"error": "not_yours"}
    assert audit_events(db, PERSONAL_DATA_REVEALED) == []
    assert audit_details(db, ACCESS_REFUSED) == [
        {
            "request_id": waiting_id,
            "attempted": "reveal",
            "reason": "not_taken",
            "status": "waiting",
        }
    ]


@pytest.mark.parametrize("who", ["bram", "ada"])  # another counsellor, an admin
@pytest.mark.parametrize("what", [{"field": "national_number"}, {"item": "m5-0"}])
async def test_who_does_not_hold_it_cannot_reveal_and_it_is_audited(
    console, db, held_id, who, what
):
    client, token = await console.counsellor(who)
    answer = await reveal(client, token, held_id, **what)
    assert answer.status == 403
    body = await answer.text()
    assert json.loads(body) == {"error": "not_yours"}
    assert NATIONAL_NUMBER not in body and TYPED_NATIONAL_NUMBER not in body
    assert audit_events(db, PERSONAL_DATA_REVEALED) == []
    [refusal] = audit_events(db, ACCESS_REFUSED)
    assert refusal.actor == f"counsellor:{db.ids[who]}"
    assert refusal.conversation_id == CONVERSATION
    assert json.loads(refusal.detail)["attempted"] == "reveal"


async def test_not_even_an_admin_reveals_on_a_closed_conversation(console, db, closed_id):
    admin, token = await console.counsellor("ada")
    answer = await reveal(admin, token, closed_id, item="m5-0")
    assert answer.status == 403
    assert audit_events(db, PERSONAL_DATA_REVEALED) == []
    assert [d["reason"] for d in audit_details(db, ACCESS_REFUSED)] == ["finished"]

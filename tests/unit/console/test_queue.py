"""The queue page over HTTP: what a waiting citizen shows as, and the audit of each view."""

from __future__ import annotations

import json

from bot.handoff import state
from bot.handoff.audit import QUEUE_VIEWED
from tests.unit.console.helpers import (
    BOT_TEXT,
    CITIZEN_TEXT,
    GIVEN_NAME,
    assert_no_personal_data,
    audit_events,
    take,
)


async def test_the_queue_lists_waiting_and_held_conversations(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    queue = await (await client.get("/queue")).text()
    assert f'data-handoff="{waiting_id}"' in queue and "asked for a person" in queue
    assert "You hold no conversation." in queue
    await take(client, token, waiting_id)
    queue = await (await client.get("/queue")).text()
    assert "Nobody is waiting." in queue
    assert f'href="/handoffs/{waiting_id}">Conversation {waiting_id}</a>' in queue


async def test_a_waiting_citizen_shows_what_it_takes_to_decide_and_nothing_personal(
    console, rasa_stub, db, waiting_id
):
    client, _ = await console.counsellor("bram")
    queue = await (await client.get("/queue")).text()
    row = queue[queue.index(f'<tr data-handoff="{waiting_id}">') :]
    row = row[: row.index("</tr>")]
    for shown in ("VDAB", "NL", "Telegram", "under a minute", "Registration · at: Given name"):
        assert shown in row, shown
    assert "asked for a person" in row and "data-since=" in row
    for hidden in (CITIZEN_TEXT, BOT_TEXT, GIVEN_NAME, "4242"):
        assert hidden not in queue, hidden
    assert_no_personal_data(queue)
    # Rasa gave the tracker's state only, never its messages.
    assert {query["include_events"] for _, query in rasa_stub.tracker_reads} == {"NONE"}


async def test_every_queue_view_is_audited_with_the_handoffs_it_showed(console, db, waiting_id):
    other, _ = state.request_handoff(db.factory, "web:s-1", "socketio", "fr", "misunderstood")
    client, token = await console.counsellor("anna")  # the login lands on the queue page
    await take(client, token, waiting_id)
    await client.get("/queue")
    events = audit_events(db, QUEUE_VIEWED)
    assert {e.actor for e in events} == {f"counsellor:{db.ids['anna']}"}
    assert all(e.conversation_id is None for e in events)
    details = [json.loads(e.detail) for e in events]
    assert details[0] == {
        "view": "page",
        "waiting": [waiting_id, other.id],
        "mine": [],
        "recent": [],
    }
    assert details[-1] == {
        "view": "live",
        "waiting": [other.id],
        "mine": [waiting_id],
        "recent": [],
    }


async def test_channel_kinds_come_from_the_namespaced_conversation_id(console, db):
    for conversation_id in ("web:s-1", "rest:me", "tg:77"):
        state.request_handoff(db.factory, conversation_id, "whatever", "en", "asked")
    client, _ = await console.counsellor("anna")
    queue = await (await client.get("/queue")).text()
    assert queue.count("<td>Web chat</td>") == 1
    assert queue.count("<td>REST</td>") == 1
    assert queue.count("<td>Telegram</td>") == 1
    assert "s-1" not in queue and "tg:77" not in queue


async def test_only_an_admin_sees_the_conversations_that_left_the_queue(console, db, closed_id):
    counsellor, _ = await console.counsellor("bram")
    queue = await (await counsellor.get("/queue")).text()
    assert "Other conversations" not in queue and f"/handoffs/{closed_id}" not in queue

    admin, _ = await console.counsellor("ada")
    queue = await (await admin.get("/queue")).text()
    assert "Other conversations (administrators)" in queue
    assert f'<tr data-recent="{closed_id}">' in queue and "<td>closed</td>" in queue
    assert_no_personal_data(queue)
    [*_, last] = audit_events(db, QUEUE_VIEWED)
    assert json.loads(last.detail)["recent"] == [closed_id]

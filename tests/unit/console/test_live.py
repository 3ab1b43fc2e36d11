"""The live event stream over HTTP: who may watch a conversation."""

from __future__ import annotations

import asyncio

from bot.handoff.audit import ACCESS_REFUSED
from tests.unit.console.helpers import audit_details


async def test_the_live_event_stream_opens_for_the_holder(console, db, held_id):
    client, _ = await console.counsellor("anna")
    answer = await client.get(f"/events?handoff={held_id}")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    first = await asyncio.wait_for(answer.content.readuntil(b"\n\n"), timeout=5)
    assert first == b": keep-alive\n\n"
    answer.close()


async def test_the_queue_stream_opens_for_any_counsellor(console, db, held_id):
    client, _ = await console.counsellor("bram")
    answer = await client.get("/events")
    assert answer.status == 200
    answer.close()


async def test_another_counsellor_may_not_watch_a_held_conversation(console, db, held_id):
    client, _ = await console.counsellor("bram")
    answer = await client.get(f"/events?handoff={held_id}")
    assert answer.status == 403
    assert audit_details(db, ACCESS_REFUSED) == [
        {"request_id": held_id, "attempted": "watch", "reason": "held_by_other", "status": "active"}
    ]

"""The live event stream over HTTP."""

from __future__ import annotations

import asyncio


async def test_the_live_event_stream_opens_for_a_counsellor(console, db, waiting_id):
    client, _ = await console.counsellor("anna")
    answer = await client.get(f"/events?handoff={waiting_id}")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    first = await asyncio.wait_for(answer.content.readuntil(b"\n\n"), timeout=5)
    assert first == b": keep-alive\n\n"
    answer.close()

"""The queue page over HTTP."""

from __future__ import annotations

from tests.unit.console.helpers import take


async def test_the_queue_lists_waiting_and_held_conversations(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    queue = await (await client.get("/queue")).text()
    assert f'data-handoff="{waiting_id}"' in queue and "asked for a person" in queue
    assert "You hold no conversation." in queue
    await take(client, token, waiting_id)
    queue = await (await client.get("/queue")).text()
    assert "Nobody is waiting." in queue
    assert f'href="/handoffs/{waiting_id}">Conversation {waiting_id}</a>' in queue

"""The retry loop: counsellor messages Rasa did not take are offered again."""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.console import retry
from bot.console.keys import FACTORY, RASA
from bot.console.rasa_api import RasaApi
from bot.handoff import messages, state
from tests.unit.console.helpers import CONVERSATION, TOKEN


async def test_the_loop_syncs_undelivered_messages_and_outlives_a_failure(
    db, rasa_stub, waiting_id, monkeypatch
):
    anna = db.ids["anna"]
    assert state.take(db.factory, waiting_id, anna)
    messages.add_counsellor_message(db.factory, waiting_id, anna, "Are you still there?")
    failures = []

    def pending_after_one_failure(factory):
        if not failures:
            failures.append("database away")
            raise RuntimeError("database away")
        return messages.conversations_with_pending(factory)

    monkeypatch.setattr(retry, "SYNC_RETRY_SECONDS", 0.01)
    monkeypatch.setattr(retry, "conversations_with_pending", pending_after_one_failure)
    app = web.Application()
    app[FACTORY] = db.factory
    app[RASA] = rasa = RasaApi(rasa_stub.base_url, token=TOKEN)
    await retry.start_retry(app)
    try:
        for _ in range(500):
            if rasa_stub.syncs():
                break
            await asyncio.sleep(0.01)
    finally:
        await retry.stop_retry(app)
        await rasa.close()
    assert failures == ["database away"]
    # The token travels in the Authorization header (the stub refuses it anywhere else).
    assert rasa_stub.syncs(CONVERSATION)[0] == {"output_channel": "latest"}
    assert rasa_stub.refused == []

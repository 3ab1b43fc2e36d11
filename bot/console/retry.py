"""Counsellor messages Rasa did not take at once are offered again, forever.

A background task of the console: every SYNC_RETRY_SECONDS it asks Rasa to run
`action_handoff_sync` in each conversation with undelivered counsellor messages.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.console.keys import FACTORY, RASA, RETRY_TASK
from bot.handoff.messages import conversations_with_pending

logger = logging.getLogger(__name__)

SYNC_RETRY_SECONDS = 5.0


async def retry_undelivered(app: web.Application) -> None:
    factory, rasa = app[FACTORY], app[RASA]
    while True:
        await asyncio.sleep(SYNC_RETRY_SECONDS)
        try:
            conversations = await asyncio.to_thread(conversations_with_pending, factory)
            for conversation_id in conversations:
                await rasa.sync(conversation_id)
        except Exception:  # the loop must outlive any one failure
            logger.exception("handoff retry loop")


async def start_retry(app: web.Application) -> None:
    app[RETRY_TASK] = asyncio.create_task(retry_undelivered(app))


async def stop_retry(app: web.Application) -> None:
    app[RETRY_TASK].cancel()

"""GET /events: server-sent events for console.js.

`queue` when the queue changes, `conversation` when the watched conversation has news (a
citizen message, a state change, a bot turn). The stream polls the database (and Rasa's
tracker) every SSE_POLL_SECONDS, so it works across console instances. Only a viewer who
may read the conversation's transcript (bot.console.access) may watch it: anyone else is
refused, and the refusal is audited.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.accounts.roles import COUNSELLOR_ROLES
from bot.console.keys import RASA, factory_of
from bot.console.rasa_api import RasaUnavailable
from bot.console.security import require
from bot.console.views.common import parse_id
from bot.console.views.guard import access_of, refuse
from bot.handoff.queries import conversation_signature, get_request, queue_signature

SSE_POLL_SECONDS = 1.0


@require(*COUNSELLOR_ROLES)
async def events(request: web.Request) -> web.StreamResponse:
    factory, rasa = factory_of(request), request.app[RASA]
    watched_row = None
    watched_id = parse_id(request.query.get("handoff", ""))
    if watched_id is not None:
        watched_row = await asyncio.to_thread(get_request, factory, watched_id)
        if watched_row is not None and not access_of(request, watched_row).reads_transcript:
            return await refuse(request, watched_row, "watch")
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    last_queue = last_conversation = None
    try:
        while True:
            queue_sig = await asyncio.to_thread(queue_signature, factory)
            if queue_sig != last_queue:
                if last_queue is not None:
                    await response.write(b"event: queue\ndata: {}\n\n")
                last_queue = queue_sig
            if watched_row is not None:
                sig = await asyncio.to_thread(conversation_signature, factory, watched_row.id)
                try:
                    tracker = await rasa.tracker(watched_row.conversation_id)
                    sig += f"|{len(tracker.get('events') or [])}"
                except RasaUnavailable:
                    pass
                if sig != last_conversation:
                    if last_conversation is not None:
                        await response.write(b"event: conversation\ndata: {}\n\n")
                    last_conversation = sig
            await response.write(b": keep-alive\n\n")
            await asyncio.sleep(SSE_POLL_SECONDS)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response

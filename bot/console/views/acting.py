"""What a counsellor does with a conversation: POST take, reply, hand-back and close.

Only the holder replies, hands back or closes (bot.handoff guards each change with one
conditional UPDATE); any other attempt changes nothing and is audited as a refusal. After
every change the console asks Rasa to run `action_handoff_sync`, which tells the citizen
what is new. Forms get redirects, `Accept: application/json` gets JSON.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.accounts.roles import COUNSELLOR_ROLES
from bot.console.forms import form_of
from bot.console.keys import RASA, factory_of
from bot.console.render import wants_json
from bot.console.security import require
from bot.console.views.guard import audit_refusal, load
from bot.handoff import messages, state
from bot.handoff.models import OUTCOMES


@require(*COUNSELLOR_ROLES)
async def take(request: web.Request) -> web.Response:
    factory, viewer = factory_of(request), request["viewer"]
    row = await load(request)
    taken = await asyncio.to_thread(state.take, factory, row.id, viewer.id)
    if not taken:
        await audit_refusal(request, row, "take")
        if wants_json(request):
            return web.json_response({"taken": False}, status=409)
        raise web.HTTPSeeOther("/?notice=taken_by_other")
    await request.app[RASA].sync(row.conversation_id)
    if wants_json(request):
        return web.json_response({"taken": True})
    raise web.HTTPSeeOther(f"/handoffs/{row.id}")


@require(*COUNSELLOR_ROLES)
async def reply(request: web.Request) -> web.Response:
    factory, viewer = factory_of(request), request["viewer"]
    row = await load(request)
    form = await form_of(request)
    try:
        message_id = await asyncio.to_thread(
            messages.add_counsellor_message, factory, row.id, viewer.id, str(form.get("text", ""))
        )
    except ValueError:
        if wants_json(request):
            return web.json_response({"error": "empty_or_too_long"}, status=400)
        raise web.HTTPSeeOther(f"/handoffs/{row.id}") from None
    if message_id is None:
        await audit_refusal(request, row, "reply")
        if wants_json(request):
            return web.json_response({"error": "not_yours"}, status=409)
        raise web.HTTPSeeOther("/?notice=not_yours")
    delivered = await request.app[RASA].sync(row.conversation_id)
    if wants_json(request):
        return web.json_response({"message_id": message_id, "delivered": delivered})
    raise web.HTTPSeeOther(f"/handoffs/{row.id}")


@require(*COUNSELLOR_ROLES)
async def hand_back(request: web.Request) -> web.Response:
    factory, viewer = factory_of(request), request["viewer"]
    row = await load(request)
    if not await asyncio.to_thread(state.hand_back, factory, row.id, viewer.id):
        await audit_refusal(request, row, "hand_back")
        raise web.HTTPSeeOther("/?notice=not_yours")
    await request.app[RASA].sync(row.conversation_id)
    raise web.HTTPSeeOther("/?notice=handed_back")


@require(*COUNSELLOR_ROLES)
async def close(request: web.Request) -> web.Response:
    factory, viewer = factory_of(request), request["viewer"]
    row = await load(request)
    outcome = str((await form_of(request)).get("outcome", ""))
    if outcome not in OUTCOMES:
        raise web.HTTPBadRequest(text="Choose an outcome.")
    if not await asyncio.to_thread(state.close, factory, row.id, viewer.id, outcome):
        await audit_refusal(request, row, "close")
        raise web.HTTPSeeOther("/?notice=not_yours")
    await request.app[RASA].sync(row.conversation_id)
    raise web.HTTPSeeOther("/?notice=closed")

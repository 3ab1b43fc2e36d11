"""POST /handoffs/{id}/reveal: one piece of personal data in clear, for the holder only.

Either a form field (`field`: national_number, birth_date, phone, email) or one masked
item of the transcript (`item`, as the page numbers them). Every reveal is one audit
row naming the field or the item and its kind, never the value; a refused reveal is
audited too.
"""

from __future__ import annotations

import asyncio
import re

from aiohttp import web

from bot.accounts.roles import COUNSELLOR_ROLES
from bot.console.access import Access
from bot.console.forms import form_of
from bot.console.keys import RASA, factory_of
from bot.console.masking import MASKED_FIELDS
from bot.console.rasa_api import RasaUnavailable
from bot.console.security import require
from bot.console.transcript import COLLECTED_FIELDS, reveal_item
from bot.console.views.guard import access_of, audit_refusal, load
from bot.handoff.audit import record_reveal

ITEM = re.compile(r"m\d{1,7}-\d{1,4}")


@require(*COUNSELLOR_ROLES)
async def reveal(request: web.Request) -> web.Response:
    factory, viewer = factory_of(request), request["viewer"]
    row = await load(request)
    form = await form_of(request)
    field, item = str(form.get("field", "")), str(form.get("item", ""))
    if access_of(request, row) is not Access.HOLDER:
        await audit_refusal(request, row, "reveal")
        return web.json_response({"error": "not_yours"}, status=403)
    if item and not ITEM.fullmatch(item):
        return web.json_response({"error": "unknown_item"}, status=400)
    if not item and field not in MASKED_FIELDS:
        return web.json_response({"error": "unknown_field"}, status=400)
    try:
        tracker = await request.app[RASA].tracker(row.conversation_id)
    except RasaUnavailable:
        return web.json_response({"error": "assistant_unreachable"}, status=503)
    slots = tracker.get("slots") or {}
    if item:
        piece = reveal_item(tracker.get("events") or [], item, slots)
        if piece is None:
            return web.json_response({"error": "unknown_item"}, status=404)
        await asyncio.to_thread(
            record_reveal, factory, row.id, viewer.id, item=item, kind=piece.kind
        )
        return web.json_response({"item": item, "kind": piece.kind, "value": piece.text})
    value = slots.get(field)
    if value in (None, ""):
        return web.json_response({"error": "empty"}, status=404)
    await asyncio.to_thread(record_reveal, factory, row.id, viewer.id, field)
    return web.json_response(
        {"field": field, "label": COLLECTED_FIELDS[field], "value": str(value)}
    )

"""One conversation: its page and transcript, and what a counsellor does with it.

GET /handoffs/{id} and /handoffs/{id}/transcript; POST take, reply, hand-back, close and
reveal. After every change the console asks Rasa to run `action_handoff_sync`, which
tells the citizen what is new. Forms get redirects, `Accept: application/json` gets JSON.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.accounts.roles import COUNSELLOR_ROLES
from bot.console.keys import RASA, factory_of
from bot.console.rasa_api import RasaUnavailable
from bot.console.render import render, wants_json
from bot.console.security import Viewer, require
from bot.console.transcript import COLLECTED_FIELDS, MASKED_FIELDS, collected, transcript
from bot.console.views.common import REASON_LABELS, request_or_404
from bot.handoff import messages, state
from bot.handoff.audit import record_reveal
from bot.handoff.models import ACTIVE, OUTCOMES, HandoffRequest
from bot.i18n.catalog import get_catalog

CANNED_KEYS = (
    "canned_greeting",
    "canned_checking",
    "canned_more_info",
    "canned_office",
    "canned_hand_back",
    "canned_goodbye",
)
OUTCOME_LABELS = {
    "resolved": "Resolved",
    "referred": "Referred to an office",
    "no_answer": "Citizen did not answer",
    "other": "Other",
}


def _is_holder(row: HandoffRequest, viewer: Viewer) -> bool:
    return row.status == ACTIVE and row.counsellor_id == viewer.id


async def _row(request: web.Request) -> HandoffRequest:
    return await asyncio.to_thread(request_or_404, factory_of(request), request.match_info["id"])


# --- reading ---------------------------------------------------------------------------


async def _conversation_context(request: web.Request, row: HandoffRequest) -> dict:
    factory = factory_of(request)
    stored = await asyncio.to_thread(messages.conversation_messages, factory, row.id)
    counsellor_texts = [m.text for m in stored if m.direction == "counsellor"]
    pending = [m.text for m in stored if m.direction == "counsellor" and m.delivered_at is None]
    rasa_error = ""
    try:
        tracker = await request.app[RASA].tracker(row.conversation_id)
    except RasaUnavailable:
        tracker, rasa_error = {"events": [], "slots": {}}, "The assistant cannot be reached now."
    catalog = get_catalog()  # canned answers in the citizen's language (else the default)
    return {
        "item": row,
        "reason": REASON_LABELS.get(row.reason, row.reason),
        "entries": transcript(tracker.get("events") or [], counsellor_texts),
        "pending": pending,
        "collected": collected(tracker.get("slots") or {}),
        "holder": _is_holder(row, request["viewer"]),
        "canned": [catalog.text(key, row.language) for key in CANNED_KEYS],
        "outcomes": OUTCOME_LABELS,
        "rasa_error": rasa_error,
        "form": tracker.get("active_loop", {}).get("name") if tracker.get("active_loop") else None,
    }


@require(*COUNSELLOR_ROLES)
async def conversation_page(request: web.Request) -> web.Response:
    row = await _row(request)
    context = await _conversation_context(request, row)
    return render(request, "conversation.html", **context)


@require(*COUNSELLOR_ROLES)
async def transcript_fragment(request: web.Request) -> web.Response:
    row = await _row(request)
    context = await _conversation_context(request, row)
    return render(request, "_transcript.html", **context)


# --- acting ----------------------------------------------------------------------------


@require(*COUNSELLOR_ROLES)
async def take(request: web.Request) -> web.Response:
    factory, viewer = factory_of(request), request["viewer"]
    row = await _row(request)
    taken = await asyncio.to_thread(state.take, factory, row.id, viewer.id)
    if not taken:
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
    row = await _row(request)
    form = await request.post()
    try:
        message_id = await asyncio.to_thread(
            messages.add_counsellor_message, factory, row.id, viewer.id, str(form.get("text", ""))
        )
    except ValueError:
        if wants_json(request):
            return web.json_response({"error": "empty_or_too_long"}, status=400)
        raise web.HTTPSeeOther(f"/handoffs/{row.id}") from None
    if message_id is None:
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
    row = await _row(request)
    if not await asyncio.to_thread(state.hand_back, factory, row.id, viewer.id):
        raise web.HTTPSeeOther("/?notice=not_yours")
    await request.app[RASA].sync(row.conversation_id)
    raise web.HTTPSeeOther("/?notice=handed_back")


@require(*COUNSELLOR_ROLES)
async def close(request: web.Request) -> web.Response:
    factory, viewer = factory_of(request), request["viewer"]
    row = await _row(request)
    outcome = str((await request.post()).get("outcome", ""))
    if outcome not in OUTCOMES:
        raise web.HTTPBadRequest(text="Choose an outcome.")
    if not await asyncio.to_thread(state.close, factory, row.id, viewer.id, outcome):
        raise web.HTTPSeeOther("/?notice=not_yours")
    await request.app[RASA].sync(row.conversation_id)
    raise web.HTTPSeeOther("/?notice=closed")


@require(*COUNSELLOR_ROLES)
async def reveal(request: web.Request) -> web.Response:
    """One personal field in clear, for the holder only; written to the audit trail."""
    factory, viewer = factory_of(request), request["viewer"]
    row = await _row(request)
    field = str((await request.post()).get("field", ""))
    if field not in MASKED_FIELDS:
        return web.json_response({"error": "unknown_field"}, status=400)
    if not _is_holder(row, viewer):
        return web.json_response({"error": "not_yours"}, status=403)
    try:
        tracker = await request.app[RASA].tracker(row.conversation_id)
    except RasaUnavailable:
        return web.json_response({"error": "assistant_unreachable"}, status=503)
    value = (tracker.get("slots") or {}).get(field)
    if value in (None, ""):
        return web.json_response({"error": "empty"}, status=404)
    await asyncio.to_thread(record_reveal, factory, row.id, viewer.id, field)
    return web.json_response(
        {"field": field, "label": COLLECTED_FIELDS[field], "value": str(value)}
    )

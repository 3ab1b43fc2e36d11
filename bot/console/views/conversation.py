"""Reading one conversation: GET /handoffs/{id} and its live fragment /handoffs/{id}/transcript.

What the page shows depends on bot.console.access: the holder (and an admin) reads the
transcript with personal data masked; another counsellor sees a waiting conversation as
a summary only, and is refused anything else. Every view and refusal is audited.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

from bot.accounts.roles import COUNSELLOR_ROLES
from bot.console.access import Access
from bot.console.keys import RASA, factory_of
from bot.console.labels import channel_kind, reason_label
from bot.console.rasa_api import RasaUnavailable
from bot.console.render import render
from bot.console.security import require
from bot.console.tasks import tasks_in_progress
from bot.console.transcript import collected, masked_text, transcript
from bot.console.views.guard import access_of, audit, load, refuse
from bot.console.views.waiting import waiting_minutes
from bot.db import as_utc
from bot.handoff import messages
from bot.handoff.audit import SUMMARY_VIEWED, TRANSCRIPT_VIEWED
from bot.handoff.models import HandoffRequest
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


def _about(row: HandoffRequest) -> dict[str, Any]:
    """What any counsellor may know of a handoff: no message, no name, no number."""
    since = as_utc(row.created_at)
    return {
        "id": row.id,
        "status": row.status,
        "agency": row.agency,  # None until the citizen's postcode names one
        "language": row.language,
        "channel": channel_kind(row.conversation_id, row.channel),
        "reason": reason_label(row.reason),
        "since": since.isoformat(),
        "wait": waiting_minutes(int((datetime.now(timezone.utc) - since).total_seconds())),
    }


async def _transcript_context(request: web.Request, row: HandoffRequest, access: Access) -> dict:
    factory = factory_of(request)
    stored = await asyncio.to_thread(messages.conversation_messages, factory, row.id)
    counsellor_texts = [m.text for m in stored if m.direction == "counsellor"]
    rasa_error = ""
    try:
        tracker = await request.app[RASA].tracker(row.conversation_id)
    except RasaUnavailable:
        tracker, rasa_error = {"events": [], "slots": {}}, "The assistant cannot be reached now."
    events, slots = tracker.get("events") or [], tracker.get("slots") or {}
    pending = [
        masked_text(m.text, events, slots)
        for m in stored
        if m.direction == "counsellor" and m.delivered_at is None
    ]
    catalog = get_catalog()  # canned answers in the citizen's language (else the default)
    holder = access is Access.HOLDER
    return {
        "item": row,
        "about": _about(row),
        "entries": transcript(events, counsellor_texts, slots),
        "pending": pending,
        "collected": collected(slots),
        "holder": holder,
        "admin_view": access is Access.ADMIN,
        "canned": [catalog.text(key, row.language) for key in CANNED_KEYS] if holder else [],
        "outcomes": OUTCOME_LABELS,
        "rasa_error": rasa_error,
        "form": (tracker.get("active_loop") or {}).get("name"),
    }


async def _summary_context(request: web.Request, row: HandoffRequest) -> dict:
    tasks = await tasks_in_progress(request.app[RASA], [row.conversation_id])
    return {"item": row, "about": {**_about(row), "task": tasks[row.conversation_id]}}


@require(*COUNSELLOR_ROLES)
async def conversation_page(request: web.Request) -> web.Response:
    row = await load(request)
    access = access_of(request, row)
    if access is Access.REFUSED:
        return await refuse(request, row, "view")
    if access is Access.SUMMARY:
        await audit(request, SUMMARY_VIEWED, row, status=row.status)
        return render(request, "summary.html", **await _summary_context(request, row))
    await audit(
        request, TRANSCRIPT_VIEWED, row, access=access.value, status=row.status, view="page"
    )
    context = await _transcript_context(request, row, access)
    return render(request, "conversation.html", **context)


@require(*COUNSELLOR_ROLES)
async def transcript_fragment(request: web.Request) -> web.Response:
    row = await load(request)
    access = access_of(request, row)
    if not access.reads_transcript:
        return await refuse(request, row, "view")
    await audit(
        request, TRANSCRIPT_VIEWED, row, access=access.value, status=row.status, view="live"
    )
    context = await _transcript_context(request, row, access)
    return render(request, "_transcript.html", **context)

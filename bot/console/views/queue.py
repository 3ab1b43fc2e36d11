"""GET / (the queue page) and GET /queue (its live fragment).

A waiting citizen shows as what a counsellor needs to decide to take them: agency,
language, kind of channel, waiting time, task in progress and reason; never a message,
a name or a number. An admin also sees the latest conversations that left the queue.
Every view is audited with the handoff ids it showed.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.accounts.roles import COUNSELLOR_ROLES, reads_every_conversation
from bot.console.keys import RASA, factory_of
from bot.console.labels import channel_kind, reason_label
from bot.console.render import render
from bot.console.security import Viewer, require
from bot.console.tasks import tasks_in_progress
from bot.console.views.guard import audit
from bot.console.views.waiting import waiting_minutes
from bot.db import as_utc
from bot.handoff.audit import QUEUE_VIEWED
from bot.handoff.models import HandoffRequest
from bot.handoff.office_hours import office_hours_open
from bot.handoff.queries import QueueItem, active_for, recent_requests, waiting_queue

NOTICES = {
    "taken_by_other": "Another counsellor took that conversation first.",
    "handed_back": "The conversation went back to the assistant.",
    "closed": "The conversation is closed.",
    "not_yours": "That conversation is not (or no longer) yours.",
}
STATUS_LABELS = {"active": "held", "handed_back": "handed back", "closed": "closed"}


def _rows(factory: sessionmaker, viewer: Viewer) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    return {
        "waiting": waiting_queue(factory, now),
        "mine": active_for(factory, viewer.id),
        "recent": recent_requests(factory) if reads_every_conversation(viewer.user) else [],
        "office_open": office_hours_open(now),
    }


def _waiting(item: QueueItem, task: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "agency": item.agency,
        "language": item.language,
        "channel": channel_kind(item.conversation_id, item.channel),
        "reason": reason_label(item.reason),
        "wait": waiting_minutes(item.wait_seconds),
        "since": item.created_at.isoformat(),
        "task": task,
    }


def _held(row: HandoffRequest) -> dict[str, Any]:
    updated = as_utc(row.updated_at)
    return {
        "id": row.id,
        "status": STATUS_LABELS.get(row.status, row.status),
        "agency": row.agency,
        "language": row.language,
        "channel": channel_kind(row.conversation_id, row.channel),
        "updated": updated.strftime("%Y-%m-%d %H:%M") if updated else "",
    }


async def _queue_context(request: web.Request, view: str) -> dict[str, Any]:
    rows = await asyncio.to_thread(_rows, factory_of(request), request["viewer"])
    tasks = await tasks_in_progress(
        request.app[RASA], [item.conversation_id for item in rows["waiting"]]
    )
    context = {
        "waiting": [_waiting(item, tasks[item.conversation_id]) for item in rows["waiting"]],
        "mine": [_held(row) for row in rows["mine"]],
        "recent": [_held(row) for row in rows["recent"]],
        "admin": reads_every_conversation(request["viewer"].user),
        "office_open": rows["office_open"],
    }
    shown = {key: [entry["id"] for entry in context[key]] for key in ("waiting", "mine", "recent")}
    await audit(request, QUEUE_VIEWED, view=view, **shown)
    return context


@require(*COUNSELLOR_ROLES)
async def queue_page(request: web.Request) -> web.Response:
    context = await _queue_context(request, "page")
    notice = request.query.get("notice", "")
    return render(request, "queue.html", notice=NOTICES.get(notice, ""), **context)


@require(*COUNSELLOR_ROLES)
async def queue_fragment(request: web.Request) -> web.Response:
    return render(request, "_queue.html", **await _queue_context(request, "live"))

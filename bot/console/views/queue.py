"""GET / (the queue page) and GET /queue (its live fragment)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.accounts.roles import COUNSELLOR_ROLES
from bot.console.keys import factory_of
from bot.console.render import render
from bot.console.security import Viewer, require
from bot.console.views.common import REASON_LABELS
from bot.handoff.office_hours import office_hours_open
from bot.handoff.queries import active_for, waiting_queue

NOTICES = {
    "taken_by_other": "Another counsellor took that conversation first.",
    "handed_back": "The conversation went back to the assistant.",
    "closed": "The conversation is closed.",
    "not_yours": "That conversation is not (or no longer) yours.",
}


def _minutes(seconds: int) -> str:
    minutes = seconds // 60
    return "under a minute" if minutes < 1 else f"{minutes} min"


def _queue_context(factory: sessionmaker, viewer: Viewer) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    waiting = waiting_queue(factory, now)
    mine = active_for(factory, viewer.id)
    return {
        "waiting": [
            {
                "id": item.id,
                "language": item.language,
                "channel": item.channel,
                "reason": REASON_LABELS.get(item.reason, item.reason),
                "wait": _minutes(item.wait_seconds),
            }
            for item in waiting
        ],
        "mine": [
            {"id": item.id, "language": item.language, "channel": item.channel} for item in mine
        ],
        "office_open": office_hours_open(now),
    }


@require(*COUNSELLOR_ROLES)
async def queue_page(request: web.Request) -> web.Response:
    context = await asyncio.to_thread(_queue_context, factory_of(request), request["viewer"])
    notice = request.query.get("notice", "")
    return render(request, "queue.html", notice=NOTICES.get(notice, ""), **context)


@require(*COUNSELLOR_ROLES)
async def queue_fragment(request: web.Request) -> web.Response:
    context = await asyncio.to_thread(_queue_context, factory_of(request), request["viewer"])
    return render(request, "_queue.html", **context)

"""One conversation's guard: load it, tell what the viewer may see, audit views and refusals.

The rule itself is bot.console.access; this module applies it to a request and writes
every view and every refusal to the audit trail (bot.handoff.audit).
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.console.access import Access, access_to, refusal_reason
from bot.console.keys import factory_of
from bot.console.render import render, wants_json
from bot.console.views.common import request_or_404
from bot.handoff.audit import ACCESS_REFUSED, record_console_event
from bot.handoff.models import HandoffRequest
from bot.handoff.queries import get_request

REFUSALS = {
    "held_by_other": "Another counsellor holds this conversation: only they can read it.",
    "finished": "This conversation is finished: only an administrator can read it.",
    "not_taken": "Take this conversation first: its messages open once it is yours.",
}


async def load(request: web.Request) -> HandoffRequest:
    """The handoff of the URL; 404 when there is none."""
    return await asyncio.to_thread(request_or_404, factory_of(request), request.match_info["id"])


def access_of(request: web.Request, row: HandoffRequest) -> Access:
    return access_to(row, request["viewer"].user)


async def audit(
    request: web.Request, action: str, row: HandoffRequest | None = None, **extra
) -> None:
    """Write what the viewer did (`extra`: ids and kinds only, never personal data)."""
    await asyncio.to_thread(
        record_console_event,
        factory_of(request),
        request["viewer"].id,
        action,
        row.id if row is not None else None,
        **extra,
    )


async def audit_refusal(request: web.Request, row: HandoffRequest, attempted: str) -> str:
    """Audit a refused view or action on `row`; the reason (from its state now)."""
    fresh = await asyncio.to_thread(get_request, factory_of(request), row.id) or row
    reason = refusal_reason(fresh)
    await audit(
        request, ACCESS_REFUSED, row, attempted=attempted, reason=reason, status=fresh.status
    )
    return reason


async def refuse(request: web.Request, row: HandoffRequest, attempted: str) -> web.Response:
    """403 for a view the viewer may not have, audited: a page, or JSON when asked."""
    reason = await audit_refusal(request, row, attempted)
    if wants_json(request):
        return web.json_response({"error": "not_yours", "reason": reason}, status=403)
    return render(request, "refused.html", status=403, message=REFUSALS[reason])

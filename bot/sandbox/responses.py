"""The sandbox's JSON answers and errors, request bodies, and how it shows times.

Errors are always JSON `{"error": code, "detail": text}`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def json_response(payload: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(
        text=dumps(payload), status=status, content_type="application/json", headers=headers
    )


def error(
    status: int, code: str, detail: str, headers: dict | None = None, **extra
) -> web.Response:
    return json_response({"error": code, "detail": detail, **extra}, status=status, headers=headers)


async def json_object(request: web.Request) -> dict | web.Response:
    """The body as a dict, or the 400 answer to give when it is not a JSON object."""
    try:
        body = json.loads(await request.read() or b"null")
    except (ValueError, UnicodeDecodeError):
        return error(400, "invalid_json", "the body must be a JSON object")
    if not isinstance(body, dict):
        return error(400, "invalid_json", "the body must be a JSON object")
    return body


def utcnow() -> datetime:
    """Timezone-aware UTC, second precision (what the API shows)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """`2024-05-01T09:30:00Z`; a naive `moment` (as SQLite gives it back) is UTC."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

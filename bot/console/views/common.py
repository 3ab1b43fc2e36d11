"""What several pages share: the request named in the URL."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.handoff.models import HandoffRequest
from bot.handoff.queries import get_request

MAX_ID = 2**31 - 1  # the id columns are 32-bit INTEGERs on PostgreSQL


def parse_id(raw: str) -> int | None:
    """A database id from a URL, or None for anything that cannot be one."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def request_or_404(factory: sessionmaker, request_id: str) -> HandoffRequest:
    """The handoff request of the URL's id; 404 when there is none."""
    parsed = parse_id(request_id)
    row = get_request(factory, parsed) if parsed is not None else None
    if row is None:
        raise web.HTTPNotFound(text="No such conversation.")
    return row

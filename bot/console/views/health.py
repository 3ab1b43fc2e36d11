"""GET /health: the console answers (for load balancers and `make run`)."""

from __future__ import annotations

from aiohttp import web


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})

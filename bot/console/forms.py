"""The body of a form post, or a plain 400: a broken body is the sender's mistake.

aiohttp's `request.post()` raises ValueError, AssertionError or UnicodeDecodeError on a
malformed multipart or urlencoded body; unhandled, each would be a 500.
"""

from __future__ import annotations

from aiohttp import web
from multidict import MultiDictProxy


async def form_of(request: web.Request) -> MultiDictProxy:
    try:
        return await request.post()
    except (ValueError, AssertionError, UnicodeDecodeError) as error:
        raise web.HTTPBadRequest(text="The form could not be read.") from error

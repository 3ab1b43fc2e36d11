"""The agency client's OAuth2 token (client credentials): cached, renewed in time.

The token is shared by every task of one client, renewed shortly before it expires, and
forgotten as soon as the agency answers 401 to it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bot.agency.errors import AgencyRejected

# Renew the token this long before it expires (at most half of its lifetime).
TOKEN_REFRESH_MARGIN_SECONDS = 30.0
DEFAULT_LIFETIME_SECONDS = 3600.0

# Asks the agency for a token: (token, lifetime in seconds).
Fetch = Callable[[], Awaitable[tuple[str, float]]]


class TokenCache:
    def __init__(self) -> None:
        self._token: str | None = None
        self._renew_at = 0.0  # time.monotonic() after which the token is renewed
        self._lock: asyncio.Lock | None = None

    def _fresh(self) -> str | None:
        if self._token is not None and time.monotonic() < self._renew_at:
            return self._token
        return None

    async def get(self, fetch: Fetch) -> str:
        """The cached token, or a new one from `fetch` (one fetch at a time)."""
        token = self._fresh()
        if token is not None:
            return token
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            # Another task may have renewed it while this one waited.
            token = self._fresh()
            if token is not None:
                return token
            token, lifetime = await fetch()
            margin = min(TOKEN_REFRESH_MARGIN_SECONDS, lifetime / 2)
            self._token = token
            self._renew_at = time.monotonic() + lifetime - margin
            return token

    def forget(self, token: str) -> None:
        """The agency refused `token`: the next call fetches another one."""
        if self._token == token:
            self._token = None
            self._renew_at = 0.0


def read_token_answer(status: int, body: dict, detail: str) -> tuple[str, float]:
    """(token, lifetime) from a non-5xx answer of /oauth/token; AgencyRejected if refused."""
    token = body.get("access_token")
    if status != 200 or not isinstance(token, str) or not token:
        raise AgencyRejected(status, str(body.get("error") or "token_refused"), detail)
    try:
        lifetime = float(body.get("expires_in", DEFAULT_LIFETIME_SECONDS))
    except (TypeError, ValueError):
        lifetime = DEFAULT_LIFETIME_SECONDS
    return token, lifetime

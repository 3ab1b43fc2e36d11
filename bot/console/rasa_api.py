"""The console's view of Rasa: read a conversation, and let the assistant catch up.

After every change of a handoff (take, reply, hand-back, close) the console runs
`action_handoff_sync` in the conversation through Rasa's HTTP API, with the output channel
of the citizen's latest message: that action reads the database and tells the citizen
(on Telegram or in the widget) whatever is new. If Rasa cannot be reached, nothing is
lost: the messages wait in the database and the console's retry loop runs the sync again.

The API token goes in the `Authorization: Bearer` header only, never in a URL (URLs end
up in access logs and proxies' logs).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

import aiohttp

logger = logging.getLogger(__name__)

SYNC_ACTION = "action_handoff_sync"


class RasaUnavailable(Exception):
    """Rasa's HTTP API did not answer as expected."""


class RasaApi:
    # bandit B107: An empty default means none is used.
    def __init__(self, base_url: str, token: str = "", timeout_seconds: float = 30) -> None:  # nosec B107
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _url(self, conversation_id: str, suffix: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{suffix}"

    async def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def tracker(
        self, conversation_id: str, include_events: str = "AFTER_RESTART"
    ) -> dict[str, Any]:
        """The conversation's tracker with every event since the last restart (or, with
        include_events="NONE", only its state: slots and active form)."""
        client = await self._client()
        try:
            async with client.get(
                self._url(conversation_id, "tracker"),
                params={"include_events": include_events},
                headers=self._headers(),
            ) as answer:
                if answer.status != 200:
                    raise RasaUnavailable(f"tracker: HTTP {answer.status}")
                return await answer.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise RasaUnavailable(f"tracker: {type(error).__name__}") from error

    async def sync(self, conversation_id: str) -> bool:
        """Run action_handoff_sync in the conversation; False when Rasa could not."""
        client = await self._client()
        try:
            async with client.post(
                self._url(conversation_id, "execute"),
                params={"output_channel": "latest"},
                headers=self._headers(),
                json={"name": SYNC_ACTION, "policy": "console", "confidence": 1.0},
            ) as answer:
                if answer.status != 200:
                    logger.warning("handoff sync: Rasa answered HTTP %s", answer.status)
                    return False
                return True
        except (aiohttp.ClientError, TimeoutError) as error:
            logger.warning("handoff sync: Rasa unreachable (%s)", type(error).__name__)
            return False

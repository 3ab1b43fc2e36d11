"""An update Telegram delivers twice is handled once.

The check sits behind `SeenUpdates`: in memory for one Rasa server, in Redis
(`RedisSeenUpdates`, one `SET NX EX` per update) when several servers share the bot's
webhook behind a load balancer. `seen_updates_for` chooses from the settings.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Protocol

import redis.asyncio as redis_async
from redis.exceptions import RedisError
from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.settings import Settings
from channels.redis_client import async_client, shared_redis_url

logger = logging.getLogger(__name__)

# Handler group of the check: before every other handler (they are in group 0).
DUPLICATES_GROUP = -1


class RecentlySeen:
    """The last `capacity` keys seen, oldest forgotten first."""

    def __init__(self, capacity: int = 4096) -> None:
        self._keys: OrderedDict[Hashable, None] = OrderedDict()
        self._capacity = capacity

    def add(self, key: Hashable) -> bool:
        """True when `key` is new."""
        if key in self._keys:
            return False
        self._keys[key] = None
        while len(self._keys) > self._capacity:
            self._keys.popitem(last=False)
        return True


class SeenUpdates(Protocol):
    async def first_time(self, update_id: int) -> bool:
        """True the first time `update_id` is offered, False afterwards."""
        ...


class InMemorySeenUpdates:
    """`SeenUpdates` for one process."""

    def __init__(self, capacity: int = 4096) -> None:
        self._recent = RecentlySeen(capacity)

    async def first_time(self, update_id: int) -> bool:
        return self._recent.add(update_id)


# Telegram keeps an undelivered update for 24 hours: a repeat can come that late.
SEEN_FOR_SECONDS = 24 * 60 * 60


class RedisSeenUpdates:
    """`SeenUpdates` shared by every Rasa server: the first `SET NX` of an update's key wins.

    `namespace` tells bots apart (the bot's id, the token's public part). When Redis does
    not answer, the update is handled: a rare double answer beats a lost message.
    """

    def __init__(
        self,
        client: redis_async.Redis | Any,
        key_prefix: str,
        namespace: str = "",
        seen_for_seconds: int = SEEN_FOR_SECONDS,
    ) -> None:
        self._client = client  # a client or a callable giving the running loop's client
        self._prefix = f"{key_prefix}tg:update:{namespace + ':' if namespace else ''}"
        self._seen_for = seen_for_seconds

    async def first_time(self, update_id: int) -> bool:
        client = self._client() if callable(self._client) else self._client
        try:
            created = await client.set(
                f"{self._prefix}{update_id}", b"1", nx=True, ex=self._seen_for
            )
        except (RedisError, OSError):
            logger.warning("Telegram de-duplication: Redis did not answer; update handled")
            return True
        return bool(created)


def seen_updates_for(settings: Settings, bot_id: str = "") -> SeenUpdates:
    """Redis when the channels have one (always in production), else this process's memory.

    `bot_id` (the public part of the bot's token, before the colon) keeps the updates of
    two bots sharing one Redis apart."""
    url = shared_redis_url(settings)
    if not url:
        return InMemorySeenUpdates()
    return RedisSeenUpdates(lambda: async_client(url), settings.redis_key_prefix, namespace=bot_id)


def duplicate_filter(seen: SeenUpdates) -> TypeHandler:
    """A handler that stops every later handler for an update already seen."""

    async def stop_if_seen(update: Update, _context: Any) -> None:
        if not await seen.first_time(update.update_id):
            logger.debug("Telegram update %s was delivered twice", update.update_id)
            raise ApplicationHandlerStop

    return TypeHandler(Update, stop_if_seen)

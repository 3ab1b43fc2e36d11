"""An update Telegram delivers twice is handled once.

The check sits behind `SeenUpdates`, so a shared store (Redis, for several Rasa workers)
can replace the in-memory one without touching the handlers.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Protocol

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

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


def duplicate_filter(seen: SeenUpdates) -> TypeHandler:
    """A handler that stops every later handler for an update already seen."""

    async def stop_if_seen(update: Update, _context: Any) -> None:
        if not await seen.first_time(update.update_id):
            logger.debug("Telegram update %s was delivered twice", update.update_id)
            raise ApplicationHandlerStop

    return TypeHandler(Update, stop_if_seen)

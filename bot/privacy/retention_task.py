"""Retention once a day inside the action server: first shortly after it starts.

The run itself is synchronous SQL, so it goes to a worker thread; stopping waits for a
run in progress to finish (a run is a handful of short transactions), then ends the task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy.orm import sessionmaker

from bot.privacy.retention import apply_retention
from bot.settings import Settings

log = logging.getLogger(__name__)

FIRST_RUN_SECONDS = 60.0
INTERVAL_SECONDS = 24 * 60 * 60.0


class DailyRetention:
    """Calls `run` after `first_delay` seconds, then every `interval` seconds."""

    def __init__(
        self,
        run: Callable[[], object],
        *,
        first_delay: float = FIRST_RUN_SECONDS,
        interval: float = INTERVAL_SECONDS,
    ) -> None:
        self._run = run
        self.first_delay = first_delay
        self.interval = interval
        self.runs = 0
        self._stopping = asyncio.Event()
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if not self.running:
            self._stopping.clear()
            self._task = asyncio.create_task(self._loop(), name="daily-retention")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _loop(self) -> None:
        delay = self.first_delay
        while not await self._stopped_within(delay):
            try:
                await asyncio.to_thread(self._run)
            except Exception as error:
                # The class only: database errors quote their statement's parameters.
                log.error(
                    "retention failed (%s); next try in %.0f s", type(error).__name__, self.interval
                )
            self.runs += 1
            delay = self.interval

    async def _stopped_within(self, seconds: float) -> bool:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        return self._stopping.is_set()


def start_daily_retention(settings: Settings, factory: sessionmaker) -> DailyRetention:
    """The action server's retention: the RETENTION_DAYS setting, its own database."""
    task = DailyRetention(lambda: apply_retention(settings, factory=factory))
    task.start()
    return task

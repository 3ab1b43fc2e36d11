"""The outbox worker: delivers what is due, every few seconds, in the background."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable
from typing import Any

from bot.agency.delivery import deliver_pending
from bot.agency.outbox import Outbox

log = logging.getLogger(__name__)


class OutboxWorker:
    """Runs :func:`deliver_pending` every `poll_seconds` as an asyncio task.

        worker = OutboxWorker(lambda: AgencyClient.from_settings(settings), outbox, 10)
        worker.start()        # inside a running event loop (e.g. a server start hook)
        worker.wake()         # optional: deliver now (e.g. right after queueing a row)
        await worker.stop()

    `client_factory` is called once per start() and may return an awaitable; the client is
    closed on stop().
    """

    def __init__(
        self,
        client_factory: Callable[[], Any],
        outbox: Outbox,
        poll_seconds: float = 10.0,
        *,
        limit: int = 50,
    ) -> None:
        self.client_factory = client_factory
        self.outbox = outbox
        self.poll_seconds = poll_seconds
        self.limit = limit
        self.rounds = 0
        self._task: asyncio.Task | None = None
        self._stopping: asyncio.Event | None = None
        self._wake: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the periodic task (no-op when already running). Not a coroutine."""
        if self.running:
            return
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="outbox-worker")

    def wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    async def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current round (cancelled after `timeout` seconds)."""
        task, self._task = self._task, None
        if task is None:
            return
        # bandit B101: Invariant for the type checker, not a check of input.
        assert self._stopping is not None  # nosec B101
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except asyncio.TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        # bandit B101: Invariant for the type checker, not a check of input.
        assert self._stopping is not None and self._wake is not None  # nosec B101
        try:
            client = self.client_factory()
            if inspect.isawaitable(client):
                client = await client
        except Exception:
            log.exception("outbox worker: could not create the agency client")
            return
        try:
            while not self._stopping.is_set():
                try:
                    finished = await deliver_pending(client, self.outbox, self.limit)
                    if finished:
                        log.info("outbox worker: %d submission(s) finished", finished)
                except Exception:
                    log.exception("outbox worker: delivery round failed")
                self.rounds += 1
                await self._sleep()
        finally:
            close = getattr(client, "close", None)
            if close is not None:
                result = close()
                if inspect.isawaitable(result):
                    await result

    async def _sleep(self) -> None:
        # bandit B101: Invariant for the type checker, not a check of input.
        assert self._stopping is not None and self._wake is not None  # nosec B101
        waiters = [
            asyncio.ensure_future(self._stopping.wait()),
            asyncio.ensure_future(self._wake.wait()),
        ]
        try:
            await asyncio.wait(
                waiters, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiter in waiters:
                waiter.cancel()
            self._wake.clear()

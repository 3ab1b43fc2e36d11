"""Rasa's Redis lock store, made safe for several Rasa servers at once.

Rasa 3.6's `RedisLockStore` keeps each conversation's ticket lock as one JSON value and
changes it by read-modify-write (`GET`, change, `SET`). Two servers that take a message
of the same conversation at the same instant both read "no lock", both issue ticket 0,
and both run their turn at once: the SQL tracker store then keeps only one of the two
turns (tests/production/test_serving_on_two_servers.py showed a lost message with 8
pairs of simultaneous messages). Releasing has the same race: a server that finishes
may delete the lock another server has just taken a ticket on, which then fails with
"Could not acquire lock".

`AtomicRedisLockStore` is the same store with every read-modify-write of a lock done
under a short Redis mutex of that conversation (`SET NX PX`, redis-py's `Lock`), so
issuing, refreshing, finishing and deleting are each atomic across servers. The lock's
format and keys are Rasa's own: servers with either class can share a Redis during a
rolling upgrade (the old ones keep their race).

endpoints.production.yml:

    lock_store:
      type: bot.ops.rasa_lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      db: 1
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import LockError as RedisMutexError

MUTEX_PREFIX = "mutex:"
# The mutex guards a few Redis round trips: held for milliseconds; it expires by itself
# if its holder dies in between.
MUTEX_SECONDS = 5.0
MUTEX_WAIT_SECONDS = 5.0
MUTEX_POLL_SECONDS = 0.002


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose changes to a conversation's lock never interleave."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        # Rasa builds a custom lock store with its endpoint configuration only.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    @contextlib.contextmanager
    def _exclusive(self, conversation_id: str) -> Iterator[None]:
        mutex = self.red.lock(
            f"{self.key_prefix}{MUTEX_PREFIX}{conversation_id}",
            timeout=MUTEX_SECONDS,
            sleep=MUTEX_POLL_SECONDS,
            blocking_timeout=MUTEX_WAIT_SECONDS,
            thread_local=False,
        )
        if not mutex.acquire():
            raise LockError(f"Could not change the lock of conversation '{conversation_id}'.")
        try:
            yield
        finally:
            with contextlib.suppress(RedisMutexError):  # expired meanwhile: nothing to free
                mutex.release()

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._exclusive(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: str) -> None:
        with self._exclusive(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._exclusive(conversation_id):
            super().finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Finish the ticket and delete the lock when nobody waits: one atomic step, so
        that a ticket issued meanwhile by another server keeps its lock."""
        with self._exclusive(conversation_id):
            LockStore.finish_serving(self, conversation_id, ticket_number)
            if not self.is_someone_waiting(conversation_id):
                self.delete_lock(conversation_id)

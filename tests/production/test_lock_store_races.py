"""The Redis lock store under simultaneous messages of one conversation on several Rasa
servers (threads here, each with its own store and connection, on the real Redis)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest
import redis
from rasa.core.lock_store import RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.ops.rasa_lock_store import AtomicRedisLockStore
from tests.production.conftest import LOCK_STORE_DB

MODULE_BUDGET_SECONDS = 60
SERVERS = 8
ROUNDS = 20


@pytest.fixture
def key_prefix() -> Iterator[str]:
    prefix = f"test{uuid.uuid4().hex[:12]}"  # Rasa wants it alphanumeric
    yield prefix
    client = redis.Redis(host="127.0.0.1", port=6379, db=LOCK_STORE_DB)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


def store(kind: type[RedisLockStore], key_prefix: str) -> RedisLockStore:
    if kind is AtomicRedisLockStore:  # as Rasa builds a custom lock store
        config = EndpointConfig(
            url="127.0.0.1", port="6379", db=LOCK_STORE_DB, key_prefix=key_prefix
        )
        return AtomicRedisLockStore(endpoint_config=config)
    return RedisLockStore(host="127.0.0.1", port=6379, db=LOCK_STORE_DB, key_prefix=key_prefix)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run `calls` in threads released at the same instant; their results, in order."""
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        start.wait(timeout=10)
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return results


def tickets_issued_at_once(kind: type[RedisLockStore], key_prefix: str) -> list[list[int]]:
    """Each round, SERVERS stores issue a ticket for one new conversation at the same
    instant; the ticket numbers of each round."""
    stores = [store(kind, key_prefix) for _ in range(SERVERS)]
    rounds = []
    for round_ in range(ROUNDS):
        conversation = f"rest:race-{round_}"
        issue = [partial(one.issue_ticket, conversation) for one in stores]
        rounds.append(sorted(at_once(*issue)))
    return rounds


def test_every_server_gets_its_own_ticket(key_prefix):
    for issued in tickets_issued_at_once(AtomicRedisLockStore, key_prefix):
        assert issued == list(range(SERVERS))


def test_rasas_own_store_gives_the_same_ticket_twice(key_prefix):
    """Why AtomicRedisLockStore exists: Rasa 3.6's read-modify-write lets two servers
    hold the same ticket, and so run two turns of one conversation at once."""
    rounds = tickets_issued_at_once(RedisLockStore, key_prefix)
    duplicated = [issued for issued in rounds if len(set(issued)) < len(issued)]
    print(f"\nRasa's RedisLockStore: the same ticket twice in {len(duplicated)} of {ROUNDS} rounds")
    assert duplicated


def test_a_lock_is_never_deleted_under_a_new_ticket(key_prefix):
    """One server finishes while another takes a ticket: the newcomer gets the lock."""
    first = store(AtomicRedisLockStore, key_prefix)
    second = store(AtomicRedisLockStore, key_prefix)
    for round_ in range(30):
        conversation = f"rest:handover-{round_}"
        ticket = first.issue_ticket(conversation)
        _, taken = at_once(
            partial(first.cleanup, conversation, ticket),
            partial(second.issue_ticket, conversation),
        )
        lock = second.get_lock(conversation)
        assert lock is not None and not lock.is_locked(taken), round_
        second.cleanup(conversation, taken)
        assert second.get_lock(conversation) is None  # nobody waits: gone

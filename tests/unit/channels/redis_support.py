"""The real Redis of the machine (and of CI) for the channels' tests: a unique key
prefix per test, every key under it deleted afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _client() -> redis.Redis:
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:  # pragma: no cover - the machine provides Redis
        pytest.fail(f"Redis at {TEST_REDIS_URL} is needed: {error}")
    return client


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """`test:<random>:`: the test's own keys; they are deleted when it ends."""
    client = _client()
    prefix = f"test:{uuid.uuid4().hex[:12]}:"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
        client.close()


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = _client()
    yield client
    client.close()

"""The rate limit per conversation in the real Redis: the in-memory limiter's rule, shared
by every Rasa server."""

from __future__ import annotations

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from bot.settings import load_settings
from channels.rate_limit import (
    ConversationRateLimiter,
    RedisConversationRateLimiter,
    limiter_for,
)
from channels.redis_client import RedisNotConfigured
from tests.unit.channels.redis_support import TEST_REDIS_URL, redis_client, redis_prefix

__all__ = ["redis_client", "redis_prefix"]  # fixtures


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_steady_rate(redis_client, redis_prefix):
    clock = Clock()
    limiter = RedisConversationRateLimiter(
        redis_client, redis_prefix, per_minute=30, burst=3, clock=clock
    )
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    clock.now += 2.0  # 30 a minute: one more message every two seconds
    assert limiter.allow("a") is True
    assert limiter.allow("a") is False


def test_the_same_answers_as_the_in_memory_limiter(redis_client, redis_prefix):
    clock = Clock()
    shared = RedisConversationRateLimiter(
        redis_client, redis_prefix, per_minute=12, burst=2, clock=clock
    )
    local = ConversationRateLimiter(per_minute=12, burst=2, clock=clock)
    steps = [0, 0, 0, 1, 4, 0, 0, 10, 0, 0, 0, 0.5, 5, 100, 0, 0, 0]
    for step in steps:
        clock.now += step
        assert shared.allow("a") == local.allow("a"), f"after {step} s"


def test_conversations_do_not_share_a_bucket(redis_client, redis_prefix):
    limiter = RedisConversationRateLimiter(
        redis_client, redis_prefix, per_minute=1, burst=1, clock=Clock()
    )
    assert limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")


def test_two_servers_count_together_and_redis_forgets_idle_buckets(redis_client, redis_prefix):
    # Redis's own clock (no clock given), as in production.
    one = RedisConversationRateLimiter(redis_client, redis_prefix, per_minute=6, burst=2)
    other = RedisConversationRateLimiter(
        redis.Redis.from_url(TEST_REDIS_URL), redis_prefix, per_minute=6, burst=2
    )
    assert one.allow("web:x") and other.allow("web:x")
    assert not one.allow("web:x") and not other.allow("web:x")
    ttl = redis_client.ttl(f"{redis_prefix}web:x")
    assert 0 < ttl <= 21  # full again after 2 / (6 / 60) = 20 s: then the key may go


def test_concurrent_messages_never_take_more_than_the_burst(redis_client, redis_prefix):
    limiter = RedisConversationRateLimiter(
        redis.Redis.from_url(TEST_REDIS_URL, max_connections=32),
        redis_prefix,
        per_minute=1,
        burst=5,
    )
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: limiter.allow("rest:many"), range(64)))
    assert answers.count(True) == 5


def test_redis_down_lets_messages_through(redis_prefix):
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    limiter = RedisConversationRateLimiter(unreachable, redis_prefix, per_minute=1, burst=1)
    assert limiter.allow("a") and limiter.allow("a")


def test_the_settings_choose_the_store(redis_prefix):
    local = dataclasses.replace(load_settings(), redis_url="", environment="local")
    assert isinstance(limiter_for(local), ConversationRateLimiter)
    shared = dataclasses.replace(local, redis_url=TEST_REDIS_URL, redis_key_prefix=redis_prefix)
    chosen = limiter_for(shared)
    assert isinstance(chosen, RedisConversationRateLimiter)
    assert chosen.key_prefix == f"{redis_prefix}rate:"
    with pytest.raises(RedisNotConfigured, match="REDIS_URL"):
        limiter_for(dataclasses.replace(local, environment="production"))

"""An update delivered twice, to any Rasa server, is handled once: the real Redis."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
import redis.asyncio as redis_async
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.settings import load_settings
from channels.redis_client import RedisNotConfigured
from channels.telegram.duplicates import (
    InMemorySeenUpdates,
    RedisSeenUpdates,
    duplicate_filter,
    seen_updates_for,
)
from tests.unit.channels.redis_support import TEST_REDIS_URL, redis_client, redis_prefix

__all__ = ["redis_client", "redis_prefix"]  # fixtures


async def test_the_first_server_to_see_an_update_handles_it(redis_prefix):
    one_client = redis_async.Redis.from_url(TEST_REDIS_URL)
    other_client = redis_async.Redis.from_url(TEST_REDIS_URL)
    try:
        one = RedisSeenUpdates(one_client, redis_prefix, namespace="123")
        other = RedisSeenUpdates(other_client, redis_prefix, namespace="123")
        assert await one.first_time(7)
        assert not await other.first_time(7)
        assert not await one.first_time(7)
        assert await other.first_time(8)
        # Another bot's update 7 is another update.
        assert await RedisSeenUpdates(one_client, redis_prefix, namespace="456").first_time(7)
    finally:
        await one_client.close()
        await other_client.close()


async def test_many_servers_at_once_one_wins(redis_prefix):
    clients = [redis_async.Redis.from_url(TEST_REDIS_URL) for _ in range(8)]
    try:
        seen = [RedisSeenUpdates(client, redis_prefix) for client in clients]
        answers = await asyncio.gather(*(s.first_time(42) for s in seen for _ in range(4)))
        assert answers.count(True) == 1
    finally:
        for client in clients:
            await client.close()


async def test_keys_expire_after_a_day(redis_client, redis_prefix):
    client = redis_async.Redis.from_url(TEST_REDIS_URL)
    try:
        assert await RedisSeenUpdates(client, redis_prefix, namespace="9").first_time(1)
    finally:
        await client.close()
    ttl = redis_client.ttl(f"{redis_prefix}tg:update:9:1")
    assert 24 * 3600 - 60 < ttl <= 24 * 3600


async def test_the_filter_stops_a_repeat_across_servers(redis_prefix):
    client = redis_async.Redis.from_url(TEST_REDIS_URL)
    try:
        first = duplicate_filter(RedisSeenUpdates(client, redis_prefix))
        second = duplicate_filter(RedisSeenUpdates(client, redis_prefix))
        await first.callback(Update(100), None)
        with pytest.raises(ApplicationHandlerStop):
            await second.callback(Update(100), None)
    finally:
        await client.close()


async def test_redis_down_handles_the_update(redis_prefix):
    unreachable = redis_async.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    seen = RedisSeenUpdates(unreachable, redis_prefix)
    assert await seen.first_time(1) and await seen.first_time(1)


async def test_the_settings_choose_the_store(redis_prefix):
    local = dataclasses.replace(load_settings(), redis_url="", environment="local")
    assert isinstance(seen_updates_for(local), InMemorySeenUpdates)
    shared = dataclasses.replace(local, redis_url=TEST_REDIS_URL, redis_key_prefix=redis_prefix)
    chosen = seen_updates_for(shared, "123456")
    assert isinstance(chosen, RedisSeenUpdates)
    assert await chosen.first_time(5) and not await chosen.first_time(5)
    with pytest.raises(RedisNotConfigured):
        seen_updates_for(dataclasses.replace(local, environment="production"))

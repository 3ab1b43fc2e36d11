"""The channels' Redis: what several Rasa servers behind one address must share.

One URL (`Settings.redis_url`: `REDIS_URL`, or built from `REDIS_HOST`/`REDIS_PORT`; see
bot/settings.py) and one key prefix (`REDIS_KEY_PREFIX`) for the socket.io manager
(socketio_channel.py), the Telegram de-duplication (telegram/duplicates.py) and the rate
limits per conversation (rate_limit.py). Locally, without a URL, each of them stays in
the memory of its Rasa server; in production a URL is required, so that a deployment
with several servers never silently keeps these apart.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache

import redis
import redis.asyncio as redis_async

from bot.settings import Settings

# Short: a channel must not hang on Redis (callers decide what to do on a timeout).
SOCKET_TIMEOUT_SECONDS = 0.5


class RedisNotConfigured(RuntimeError):
    """Production without the Redis every Rasa server must share."""


def shared_redis_url(settings: Settings) -> str:
    """The channels' Redis URL; "" when they stay in memory (never in production)."""
    if settings.redis_url:
        return settings.redis_url
    if settings.production:
        raise RedisNotConfigured(
            "production needs Redis for the channels: set REDIS_URL, or REDIS_HOST and "
            "REDIS_PORT (the lock store's variables in endpoints.production.yml)"
        )
    return ""


def key(settings: Settings, *parts: object) -> str:
    """`<prefix><part>:<part>...`: every key the channels write."""
    return settings.redis_key_prefix + ":".join(str(part) for part in parts)


@lru_cache(maxsize=8)
def sync_client(url: str) -> redis.Redis:
    """A blocking client with short timeouts (one connection pool per URL and process)."""
    return redis.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        health_check_interval=30,
    )


_async_clients: dict[str, tuple[asyncio.AbstractEventLoop, redis_async.Redis]] = {}


def async_client(url: str) -> redis_async.Redis:
    """An asyncio client for the running event loop (its connections belong to it)."""
    loop = asyncio.get_running_loop()
    known = _async_clients.get(url)
    if known is not None and known[0] is loop:
        return known[1]
    client = redis_async.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
        health_check_interval=30,
    )
    _async_clients[url] = (loop, client)
    return client

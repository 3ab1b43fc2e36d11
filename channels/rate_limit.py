"""Rate limiting per conversation, so that one sender cannot starve the others.

A token bucket per conversation id: a citizen may send a few messages in a burst, then
about `per_minute` messages a minute. Checked by every channel before a message reaches
Rasa; a message over the limit gets a short "please wait" and is not processed.

Two stores, the same rule: `ConversationRateLimiter` keeps the buckets in this process
(one Rasa server; idle ones are dropped so that memory stays bounded whatever the number
of senders); `RedisConversationRateLimiter` keeps them in Redis, so that several Rasa
servers behind one address count a conversation's messages together (one Lua script per
message: atomic, Redis's clock, a key that expires once the bucket would be full again).
`shared_limiter` takes Redis whenever the channels have one (always in production).
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis
from redis.exceptions import RedisError

from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES, load_settings
from channels.redis_client import key, shared_redis_url, sync_client

logger = logging.getLogger(__name__)

DEFAULT_BURST = 8
MAX_CONVERSATIONS = 100_000
SLOW_DOWN_KEY = "utter_slow_down"


@dataclass
class _Bucket:
    tokens: float
    updated: float


class ConversationRateLimiter:
    """At most `burst` messages at once and `per_minute` a minute, per conversation."""

    def __init__(
        self,
        per_minute: int,
        burst: int = DEFAULT_BURST,
        clock: Callable[[], float] = time.monotonic,
        max_conversations: int = MAX_CONVERSATIONS,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(1, burst))
        self.clock = clock
        self.max_conversations = max_conversations
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def allow(self, conversation_id: str) -> bool:
        """Take one message from the conversation's bucket; False when it is empty."""
        now = self.clock()
        bucket = self._buckets.pop(conversation_id, None)
        if bucket is None:
            bucket = _Bucket(self.burst, now)
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
        allowed = bucket.tokens >= 1.0
        if allowed:
            bucket.tokens -= 1.0
        self._buckets[conversation_id] = bucket  # most recently used last
        while len(self._buckets) > self.max_conversations:
            self._buckets.popitem(last=False)
        return allowed


class RateLimiter(Protocol):
    def allow(self, conversation_id: str) -> bool:
        """Take one message from the conversation's bucket; False when it is empty."""
        ...


# KEYS[1] the bucket; ARGV: tokens per second, burst, now in seconds ("" = Redis's clock).
# The bucket is a hash {tokens, updated}; it expires when it would be full again anyway.
BUCKET_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil or updated == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'updated', tostring(now))
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[4]))
return allowed
"""


class RedisConversationRateLimiter:
    """`ConversationRateLimiter`'s rule, its buckets in Redis (shared by every server).

    `allow` is synchronous, as the channels call it: one round trip with a short timeout.
    When Redis does not answer, the message is let through (a limit is a protection, the
    citizen's message comes first) and a warning is logged.
    """

    def __init__(
        self,
        client: redis.Redis,
        key_prefix: str,
        per_minute: int,
        burst: int = DEFAULT_BURST,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(1, burst))
        self.clock = clock  # None: Redis's clock, the same for every server
        self.key_prefix = key_prefix
        self.client = client
        self._script = client.register_script(BUCKET_SCRIPT)
        # Idle this long, a bucket is full again: Redis may forget it.
        self.expire_seconds = max(1, math.ceil(self.burst / self.rate) + 1) if self.rate else 86400

    def allow(self, conversation_id: str) -> bool:
        now = "" if self.clock is None else repr(self.clock())
        try:
            allowed = self._script(
                keys=[f"{self.key_prefix}{conversation_id}"],
                args=[repr(self.rate), repr(self.burst), now, self.expire_seconds],
            )
        except (RedisError, OSError):
            logger.warning("rate limit: Redis did not answer; the message is let through")
            return True
        return bool(allowed)


_limiter: RateLimiter | None = None


def limiter_for(settings) -> RateLimiter:
    """Redis when the channels have one (always in production), else this process."""
    url = shared_redis_url(settings)
    if not url:
        return ConversationRateLimiter(settings.messages_per_minute)
    return RedisConversationRateLimiter(
        sync_client(url), key(settings, "rate", ""), settings.messages_per_minute
    )


def shared_limiter() -> RateLimiter:
    """The limiter every channel of this process shares."""
    global _limiter
    if _limiter is None:
        _limiter = limiter_for(load_settings())
    return _limiter


def slow_down_text(language: str | None) -> str:
    """ "Please wait a moment", in the conversation's language or, unknown, in each."""
    catalog = get_catalog()
    if language in SUPPORTED_LANGUAGES:
        return catalog.text(SLOW_DOWN_KEY, language)
    return "\n".join(catalog.text(SLOW_DOWN_KEY, code) for code in SUPPORTED_LANGUAGES)

"""Rate limiting per conversation, so that one sender cannot starve the others.

A token bucket per conversation id: a citizen may send a few messages in a burst, then
about `per_minute` messages a minute. Checked by every channel before a message reaches
Rasa; a message over the limit gets a short "please wait" and is not processed. The
buckets live in this process (one Rasa server); idle ones are dropped so that memory
stays bounded whatever the number of senders.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES, load_settings

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


_limiter: ConversationRateLimiter | None = None


def shared_limiter() -> ConversationRateLimiter:
    """The limiter every channel of this process shares."""
    global _limiter
    if _limiter is None:
        _limiter = ConversationRateLimiter(load_settings().messages_per_minute)
    return _limiter


def slow_down_text(language: str | None) -> str:
    """ "Please wait a moment", in the conversation's language or, unknown, in each."""
    catalog = get_catalog()
    if language in SUPPORTED_LANGUAGES:
        return catalog.text(SLOW_DOWN_KEY, language)
    return "\n".join(catalog.text(SLOW_DOWN_KEY, code) for code in SUPPORTED_LANGUAGES)

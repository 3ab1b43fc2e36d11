"""One sender cannot starve the others: a token bucket per conversation."""

from __future__ import annotations

from channels.rate_limit import ConversationRateLimiter, slow_down_text
from tests.support import t


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_steady_rate():
    clock = Clock()
    limiter = ConversationRateLimiter(per_minute=30, burst=3, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    clock.now += 2.0  # 30 a minute: one more message every two seconds
    assert limiter.allow("a") is True
    assert limiter.allow("a") is False


def test_conversations_do_not_share_a_bucket():
    limiter = ConversationRateLimiter(per_minute=1, burst=1, clock=Clock())
    assert limiter.allow("a") and not limiter.allow("a")
    assert limiter.allow("b")


def test_memory_stays_bounded_and_drops_the_idlest():
    limiter = ConversationRateLimiter(per_minute=1, burst=1, clock=Clock(), max_conversations=2)
    limiter.allow("a")
    limiter.allow("b")
    limiter.allow("c")  # "a" is forgotten: it starts again with a full bucket
    assert limiter.allow("a") is True
    assert limiter.allow("c") is False


def test_the_request_to_wait_is_in_the_conversations_language_or_in_each():
    assert slow_down_text("nl") == t("utter_slow_down", "nl")
    every = slow_down_text(None)
    assert all(t("utter_slow_down", language) in every for language in ("nl", "fr", "en"))

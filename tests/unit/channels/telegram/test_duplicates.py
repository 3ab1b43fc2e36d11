"""An update delivered twice is handled once."""

from __future__ import annotations

import pytest
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from channels.telegram.duplicates import InMemorySeenUpdates, RecentlySeen, duplicate_filter


def test_recently_seen_forgets_the_oldest_first():
    seen = RecentlySeen(capacity=2)
    assert seen.add(1) and seen.add(2)
    assert not seen.add(1)
    assert seen.add(3)  # 1 is forgotten
    assert seen.add(1)
    assert seen.add((5, 6))  # any hashable key
    assert not seen.add((5, 6))


async def test_the_filter_stops_a_repeated_update_only():
    handler = duplicate_filter(InMemorySeenUpdates())
    first, other = Update(100), Update(101)
    assert handler.check_update(first)
    await handler.callback(first, None)
    await handler.callback(other, None)
    with pytest.raises(ApplicationHandlerStop):
        await handler.callback(Update(100), None)


async def test_seen_updates_answers_true_once():
    seen = InMemorySeenUpdates(capacity=10)
    assert await seen.first_time(1)
    assert not await seen.first_time(1)
    assert await seen.first_time(2)

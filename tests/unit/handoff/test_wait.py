"""The rough wait estimate (SQLite)."""

from __future__ import annotations

from bot.handoff import state, wait


def test_estimated_wait_minutes(factory, anna, new_request):
    ids = [new_request(f"c{i}") for i in range(5)]
    assert wait.estimated_wait_minutes(factory, ids[0]) == 8
    assert wait.estimated_wait_minutes(factory, ids[4]) == 40
    assert wait.estimated_wait_minutes(factory, ids[4], counsellors_online=2) == 24
    assert wait.estimated_wait_minutes(factory, ids[1], 5, counsellors_online=0) == 10
    state.take(factory, ids[0], anna)
    assert wait.estimated_wait_minutes(factory, ids[0]) == 0
    assert wait.estimated_wait_minutes(factory, ids[1]) == 8

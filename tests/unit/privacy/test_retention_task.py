"""Retention inside the action server: first run shortly after start, then daily; stops."""

from __future__ import annotations

import asyncio
import itertools
import logging
import threading
import time

import aiohttp

from bot import runtime
from bot.db import make_engine
from bot.models import metadata
from bot.ops.action_server import build_app
from bot.privacy.retention_task import FIRST_RUN_SECONDS, INTERVAL_SECONDS, DailyRetention
from tests.support import serve_app


def test_the_action_server_waits_a_minute_then_runs_once_a_day():
    assert FIRST_RUN_SECONDS == 60 and INTERVAL_SECONDS == 24 * 60 * 60


async def test_first_run_after_the_delay_then_at_each_interval():
    times: list[float] = []
    task = DailyRetention(lambda: times.append(time.monotonic()), first_delay=1.0, interval=0.2)
    started = time.monotonic()
    task.start()
    await asyncio.sleep(0.3)
    assert times == []  # not at once: the server is still starting
    deadline = time.monotonic() + 10
    while len(times) < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    await task.stop()
    assert len(times) >= 3
    assert times[0] - started >= 1.0
    assert all(later - earlier >= 0.19 for earlier, later in itertools.pairwise(times))
    assert not task.running


async def test_stop_waits_for_a_run_in_progress_and_ends_without_another():
    started, release, finished = threading.Event(), threading.Event(), []

    def slow_run() -> None:
        started.set()
        release.wait(5)
        finished.append(True)

    task = DailyRetention(slow_run, first_delay=0, interval=0.01)
    task.start()
    await asyncio.to_thread(started.wait, 5)
    stopping = asyncio.create_task(task.stop())
    await asyncio.sleep(0.1)
    assert not stopping.done()  # the run is not cut in the middle of a transaction
    release.set()
    await asyncio.wait_for(stopping, 5)
    assert finished == [True] and task.runs == 1 and not task.running


async def test_stop_before_the_first_run_runs_nothing():
    calls: list[int] = []
    task = DailyRetention(lambda: calls.append(1), first_delay=30, interval=30)
    task.start()
    await asyncio.wait_for(task.stop(), 1)
    assert calls == [] and not task.running


async def test_a_failed_run_is_logged_without_its_message_and_the_next_one_happens(caplog):
    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise RuntimeError("DELETE FROM events WHERE sender_id = 'tg:424242'")

    task = DailyRetention(failing, first_delay=0, interval=0.05)
    with caplog.at_level(logging.ERROR, logger="bot.privacy.retention_task"):
        task.start()
        await asyncio.sleep(0.2)
        await task.stop()
    assert len(calls) >= 2
    assert "retention failed (RuntimeError)" in caplog.text
    assert "424242" not in caplog.text


async def test_the_action_server_starts_and_stops_it(monkeypatch, tmp_path):
    database_url = f"sqlite:///{tmp_path / 'assistant.db'}"
    engine = make_engine(database_url)
    metadata.create_all(engine)
    engine.dispose()
    monkeypatch.setenv("ASSISTANT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", database_url)
    for cached in (runtime.settings, runtime.session_factory, runtime.outbox):
        cached.cache_clear()
    app = build_app()
    try:
        async with serve_app(app) as base_url, aiohttp.ClientSession() as session:
            async with session.get(f"{base_url}/health") as answer:
                assert answer.status == 200
            retention = app.ctx.retention
            assert retention.running and retention.first_delay == FIRST_RUN_SECONDS
        assert not retention.running
    finally:
        for cached in (runtime.settings, runtime.session_factory, runtime.outbox):
            cached.cache_clear()

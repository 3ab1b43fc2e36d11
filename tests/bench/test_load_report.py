"""The load runner against small fake servers (REST and socket.io, no Rasa), and the
figures, table and plot made from what it measured."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import socketio
from aiohttp import web

from bot.ops.bench.load import LevelPlan, run_level
from bot.ops.bench.plot import plot
from bot.ops.bench.report import percentile, summarise_level, table
from bot.ops.bench.scripts import BARE_PHRASES, BareScenario
from bot.ops.bench.transports import SocketTransport
from tests.support import free_port

GOODBYES = set(BARE_PHRASES["goodbye"])


def _reply(text: str) -> list[dict]:
    return [{"text": "Bye" if text in GOODBYES else "Great, carry on!"}]


@asynccontextmanager
async def fake_rasa(
    fail_sender_suffix: str | None = None, connect_seconds: float = 0.0, turn_seconds=0.01
) -> AsyncIterator[str]:
    """REST webhook and socket.io as Rasa's bare assistant answers them (no NLU)."""
    sio = socketio.AsyncServer(async_mode="aiohttp")
    app = web.Application()
    sio.attach(app, socketio_path="/socket.io")

    @sio.event
    async def connect(sid, environ):
        await asyncio.sleep(connect_seconds)  # a busy server accepts late

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        if fail_sender_suffix and body["sender"].endswith(fail_sender_suffix):
            return web.Response(status=500, text="boom")
        await asyncio.sleep(turn_seconds)
        return web.json_response(_reply(body["message"]))

    @sio.on("session_request")
    async def session_request(sid, data):
        await sio.emit("session_confirm", "a-session", room=sid)

    @sio.on("user_uttered")
    async def user_uttered(sid, data):
        await asyncio.sleep(0.05)
        await sio.emit("bot_uttered", {"text": "first"}, room=sid)
        await asyncio.sleep(0.05)
        for message in _reply(data["message"]):
            message["quick_replies"] = [{"title": "Yes", "payload": "/affirm"}]
            await sio.emit("bot_uttered", message, room=sid)

    app.router.add_post("/webhooks/rest/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def test_a_socket_turn_lasts_until_its_last_message():
    async with fake_rasa() as url:
        transport = SocketTransport(url, timeout=10, language="en")
        await transport.open()
        try:
            assert transport.session == "a-session"
            messages, seconds = await transport.send("hello")
            assert [m.text for m in messages] == ["first", "Great, carry on!"]
            assert messages[1].buttons == [("Yes", "/affirm")]
            assert 0.1 <= seconds < 2
        finally:
            await transport.close()


async def test_a_socket_waits_for_a_busy_servers_handshake():
    # python-socketio gives up after 1 s by default: a busy Rasa takes longer.
    async with fake_rasa(connect_seconds=1.5) as url:
        transport = SocketTransport(url, timeout=10)
        try:
            await transport.open()
            assert transport.session == "a-session"
        finally:
            await transport.close()


async def test_a_level_holds_whole_conversations_over_both_channels():
    async with fake_rasa() as url:
        plan = LevelPlan(concurrency=3, max_conversations=6, max_seconds=60, socketio_share=0.5)
        run = await run_level(BareScenario(1), [url], plan, "test")
    assert len(run.outcomes) == 6
    assert all(o.error is None for o in run.outcomes), [o.detail for o in run.outcomes]
    assert sorted(o.channel for o in run.outcomes) == ["rest"] * 3 + ["socketio"] * 3
    assert all(11 <= len(o.latencies) <= 14 for o in run.outcomes)


async def test_failed_conversations_are_counted_once_by_their_cause():
    async with fake_rasa(fail_sender_suffix="-1") as url:
        plan = LevelPlan(concurrency=2, max_conversations=4, max_seconds=60, socketio_share=0)
        run = await run_level(BareScenario(1), [url, url], plan, "test")
    failed = [o for o in run.outcomes if o.error]
    assert len(failed) == 1 and failed[0].error == "http" and "500" in failed[0].detail
    assert failed[0].latencies == [] and {o.instance for o in run.outcomes} == {0, 1}
    level = summarise_level(run, {"rasa": 1.0}, {"rasa": 3.0}, {"rasa": 100.0}, 0.5, 2)
    assert level["errors"]["http"] == 1 and level["errors"]["total"] == 1
    assert level["conversations"] == {
        "started": 4,
        "completed": 3,
        "by_kind": {"moodbot": 4},
        "by_channel": {"rest": 4},
    }
    turns = level["turns"]
    assert turns == sum(len(o.latencies) for o in run.outcomes)
    assert level["cpu_ms_per_turn"] == round(2000 / turns, 1)
    assert level["latency_ms"]["p95"] >= level["latency_ms"]["p50"] > 0
    assert level["turns_per_second"] > 0


async def test_conversations_still_running_at_the_hard_deadline_are_timeouts():
    async with fake_rasa(turn_seconds=0.3) as url:
        plan = LevelPlan(
            concurrency=2, max_conversations=10, max_seconds=0.2, drain_seconds=1.0,
            socketio_share=0,
        )  # fmt: skip
        run = await run_level(BareScenario(1), [url], plan, "test")
    assert len(run.outcomes) == 2 and run.elapsed < 3
    assert all(o.error == "timeout" and "hard deadline" in o.detail for o in run.outcomes)
    assert all(2 <= len(o.latencies) <= 4 for o in run.outcomes)


def test_percentiles_interpolate_between_ranks():
    assert percentile([], 50) is None
    assert percentile([3.0], 99) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile(list(range(101)), 95) == 95


def _level(concurrency: int, tps: float, p95: float, cpu: float) -> dict:
    return {
        "concurrency": concurrency,
        "rasa_instances": 1,
        "conversations": {"started": 3, "completed": 3},
        "turns": 36,
        "turns_per_second": tps,
        "latency_ms": {"p50": p95 / 2, "p95": p95, "p99": p95 * 1.2},
        "errors": dict.fromkeys(
            ("http", "timeout", "connection", "incomplete", "client", "total"), 0
        ),
        "cpu_ms_per_turn": cpu,
        "cpu_ms_per_turn_by_process": {"rasa": cpu},
        "peak_rss_mb": {"rasa": 900.0},
        "client_cpu_seconds": 0.3,
    }


def test_the_table_and_the_plot_show_both_systems(tmp_path):
    report = {
        "mode": "quick",
        "machine": {"cpus": 2, "rasa_version": "3.6.21", "load_average_before": [0.1, 0, 0]},
        "systems": {
            "ours": {
                "model_size_mb": 300.0,
                "training": {"seconds": None, "source": "not recorded"},
                "startup_to_first_answer_seconds": 30.0,
                "idle_rss_mb": {"sandbox": 40.0, "actions": 150.0, "rasa": 1400.0},
                "levels": [_level(1, 8.0, 150, 120), _level(10, 10.0, 900, 110)],
            },
            "bare": {
                "model_size_mb": 24.0,
                "training": {"seconds": 75.0},
                "startup_to_first_answer_seconds": 12.0,
                "idle_rss_mb": {"rasa": 1000.0},
                "levels": [_level(1, 30.0, 40, 30), _level(10, 40.0, 300, 28)],
            },
        },
        "scaling": {"skipped": "quick mode"},
    }
    text = table(report)
    assert "10 concurrent conversations" in text and "not recorded" in text
    assert "150/" in text and "quick mode" in text
    path = plot(report, tmp_path / "bench.png")
    assert path.read_bytes()[:4] == b"\x89PNG"
    json.dumps(report)

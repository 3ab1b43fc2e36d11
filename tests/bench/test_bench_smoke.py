"""`make bench --quick` end to end: this project (the cached test model) and the bare Rasa
assistant (trained once per machine, about 75 s the first time), levels 1 and 10.

Not a timing test: it checks that every figure is there for both systems and plausible,
and that nothing failed with one conversation at a time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.settings import PROJECT_ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LEVELS = [1, 10]
PROCESSES = {"ours": {"sandbox", "actions", "rasa"}, "bare": {"rasa"}}


@pytest.fixture(scope="module")
def report(trained_test_model, tmp_path_factory) -> dict:
    out_dir = tmp_path_factory.mktemp("bench")
    command = [sys.executable, "-m", "bot.ops.bench", "--quick", "--model",
               str(trained_test_model), "--out-dir", str(out_dir)]  # fmt: skip
    done = subprocess.run(  # nosec B603: fixed arguments
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1800, check=False
    )
    print(done.stdout[-6000:], done.stderr[-6000:])
    assert done.returncode == 0, done.stderr[-4000:]
    assert "concurrent conversations" in done.stdout  # the side-by-side table
    assert (out_dir / "bench.png").read_bytes()[:4] == b"\x89PNG"
    return json.loads((out_dir / "bench.json").read_text())


def test_both_systems_have_every_figure(report):
    assert report["mode"] == "quick" and set(report["systems"]) == {"ours", "bare"}
    for name, system in report["systems"].items():
        assert system["model_size_mb"] > 0, name
        assert "seconds" in system["training"] and system["training"]["source"], name
        assert system["startup_to_first_answer_seconds"] > 0, name
        assert set(system["idle_rss_mb"]) == PROCESSES[name]
        assert [level["concurrency"] for level in system["levels"]] == LEVELS
        for level in system["levels"]:
            where = f"{name} at {level['concurrency']}"
            assert level["turns"] > 0 and level["turns_per_second"] > 0, where
            latency = level["latency_ms"]
            assert 0 < latency["p50"] <= latency["p95"] <= latency["p99"], where
            assert level["cpu_ms_per_turn"] > 0, where
            assert set(level["peak_rss_mb"]) == PROCESSES[name], where
            assert all(mb > 10 for mb in level["peak_rss_mb"].values()), where
            assert set(level["errors"]) >= {"http", "timeout", "incomplete", "total"}, where
            assert level["conversations"]["started"] >= level["concurrency"], where
    # The bare assistant's training was timed when its cache was made.
    assert report["systems"]["bare"]["training"]["seconds"] > 0
    assert report["scaling"] == {"skipped": "quick mode"}


def test_one_conversation_at_a_time_never_fails_on_either_channel(report):
    for name, system in report["systems"].items():
        level = system["levels"][0]
        assert level["errors"]["total"] == 0, (name, level["error_samples"])
        assert level["conversations"]["completed"] == level["conversations"]["started"]
        # The first conversation of a level goes over socket.io, the others over REST.
        assert set(level["latency_ms_by_channel"]) == {"rest", "socketio"}, name
        assert level["latency_ms_by_channel"]["socketio"]["turns"] > 0, name


def test_ours_holds_registrations_and_document_requests(report):
    kinds = {}
    for level in report["systems"]["ours"]["levels"]:
        for kind, count in level["conversations"]["by_kind"].items():
            kinds[kind] = kinds.get(kind, 0) + count
    assert kinds.get("registration", 0) > 0 and kinds.get("document", 0) > 0
    # Every server process of ours used CPU for the conversations.
    for level in report["systems"]["ours"]["levels"]:
        assert all(ms > 0 for ms in level["cpu_ms_per_turn_by_process"].values())

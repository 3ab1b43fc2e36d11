"""`make bench`: start-up time, turn latency, throughput and memory, printed as figures.

Starts its own agency sandbox, action server and Rasa server on free loopback ports
(with a throw-away database), then runs complete registrations over REST: first one
at a time (latency), then several citizens at once (throughput). Bounded in count and
time; talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.ops.processes import ProcessGroup, rasa_command, wait_for_http
from bot.settings import PROJECT_ROOT

REGISTRATION_TURNS = [
    '/switch_language{"language": "nl"}',
    "ik wil mij inschrijven als werkzoekende",
    "85.07.30-033.28",
    "Jan",
    "Peeters",
    "30/07/1985",
    "9000",
    "0470 12 34 56",
    "/deny",
    '/inform{"education_level": "secondary"}',
    "kok",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, body: dict) -> list:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    # bandit B310: An http:// URL of our own server on this machine.
    with urllib.request.urlopen(request, timeout=60) as answer:  # nosec B310
        return json.loads(answer.read())


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def _conversation(url: str, sender: str) -> list[float]:
    timings = []
    for text in REGISTRATION_TURNS:
        started = time.perf_counter()
        _post(url, {"sender": sender, "message": text})
        timings.append(time.perf_counter() - started)
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default=str(PROJECT_ROOT / "models" / "assistant.tar.gz"))
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    if not Path(args.model).exists():
        sys.exit(f"No model at {args.model}: run `make train` first.")

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    ports = {name: _free_port() for name in ("rasa", "actions", "sandbox")}
    env = {
        "ASSISTANT_VAR_DIR": str(work),
        "AGENCY_SANDBOX_PORT": str(ports["sandbox"]),
        "AGENCY_API_URL": f"http://127.0.0.1:{ports['sandbox']}",
        "ACTION_SERVER_PORT": str(ports["actions"]),
    }
    endpoints = work / "endpoints.yml"
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{ports["actions"]}/webhook"\n'
        f'nlg:\n  url: "http://127.0.0.1:{ports["actions"]}/nlg"\n'
        f'tracker_store:\n  type: SQL\n  dialect: "sqlite"\n  db: "{work / "tracker.db"}"\n'
    )
    group = ProcessGroup(work / "logs")
    try:
        group.start("sandbox", [sys.executable, "-m", "bot.sandbox"], env)
        group.start("actions", [sys.executable, "-m", "bot.ops.action_server"], env)
        started = time.monotonic()
        group.start(
            "rasa",
            rasa_command(
                "run",
                "--model",
                args.model,
                "--port",
                str(ports["rasa"]),
                "--enable-api",
                "--endpoints",
                str(endpoints),
                "--credentials",
                "credentials.yml",
            ),
            env,
        )
        url = f"http://127.0.0.1:{ports['rasa']}"
        wait_for_http(f"{url}/status", group, timeout=300)
        startup = time.monotonic() - started
        webhook = f"{url}/webhooks/rest/webhook"
        _conversation(webhook, "warm-up")

        sequential = []
        for index in range(args.conversations):
            sequential += _conversation(webhook, f"seq-{index}")

        turns = args.conversations * len(REGISTRATION_TURNS)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(lambda i: _conversation(webhook, f"par-{i}"), range(args.conversations)))
        elapsed = time.perf_counter() - started

        memory = {name: _rss_mb(p.pid) for name, p in group.processes.items()}
    finally:
        group.stop()

    quantiles = statistics.quantiles(sequential, n=20)
    print("Benchmark (2 cores, SQLite, REST channel, full registrations)")
    print(f"  Rasa start-up to /status       {startup:8.1f} s")
    print(
        f"  turn latency, one citizen      median {statistics.median(sequential) * 1000:6.0f} ms"
        f"   p95 {quantiles[18] * 1000:6.0f} ms   ({len(sequential)} turns)"
    )
    print(f"  throughput, {args.concurrency} citizens at once  {turns / elapsed:8.1f} turns/s")
    for name, megabytes in memory.items():
        print(f"  memory {name:<22}  {megabytes:8.0f} MB RSS")


if __name__ == "__main__":
    main()

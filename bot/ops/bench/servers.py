"""Starting the two systems the bench compares, on free loopback ports.

- `start_ours`: this project as `make run` serves it (bot/ops/cli.py): the agency sandbox
  (`python -m bot.sandbox`), the action server (`python -m bot.ops.action_server`) and
  Rasa (`bot.ops.processes.rasa_server_command`, i.e. `python -m bot.ops.rasa_server`)
  with the project's endpoints (action server, NLG, SQLite tracker store, in-memory lock
  store) and credentials.yml (REST, socket.io...), on a throw-away var directory, as
  tests/support.start_stack does. Two differences from `make run`, both needed to measure:
  MESSAGES_PER_MINUTE is lifted (a simulated citizen answers faster than the 30 messages
  a minute a person may send), and the counsellor console is not started (no citizen
  traffic goes through it).
- `start_bare`: the bare `rasa init` assistant (bare.py) served the same way:
  `rasa run --enable-api` on 127.0.0.1, its credentials.yml (REST and socket.io), a SQLite
  tracker store and an in-memory lock store in the same throw-away directory.

Start-up to first answer: from starting the Rasa process (the sandbox and action server
are already up) to the first REST reply that holds at least one message.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess  # nosec B404  # starts our own servers with fixed arguments, no shell
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import yaml

from bot.logs.files import open_private_log
from bot.ops.processes import (
    ProcessGroup,
    _die_with_parent,
    action_server_command,
    rasa_server_command,
    sandbox_command,
    wait_for_http,
)
from bot.settings import PROJECT_ROOT

LOOPBACK = "127.0.0.1"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SQL_CONNECTION_KEYS = ("url", "port", "username", "password", "login_db", "query", "db")
QUIET_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@dataclass
class BenchProcesses(ProcessGroup):
    """ProcessGroup (own process group, dies with its parent, 0600 logs) with a working
    directory and environment variables left out, for the bare assistant."""

    def start(
        self,
        name: str,
        command: list[str],
        env: dict[str, str] | None = None,
        cwd: Path = PROJECT_ROOT,
        drop_env: tuple[str, ...] = (),
    ) -> None:
        environment = {**os.environ, **(env or {})}
        for key in drop_env:
            environment.pop(key, None)
        with open_private_log(self.log_dir / f"{name}.log") as log:
            # bandit B603: Fixed arguments, no shell.
            self.processes[name] = subprocess.Popen(  # nosec B603
                command,
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=environment,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )


def first_answer(
    rasa_url: str,
    text: str,
    started: float,
    group: ProcessGroup,
    timeout: float = 600,
    interval: float = 0.2,
) -> float:
    """Seconds from `started` (time.monotonic) to the first REST reply with a message."""
    body = json.dumps({"sender": f"bench-startup-{uuid.uuid4().hex[:8]}", "message": text})
    deadline = started + timeout
    while time.monotonic() < deadline:
        group.check_alive()
        request = urllib.request.Request(
            f"{rasa_url}/webhooks/rest/webhook",
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            # bandit B310: An http:// URL of our own server on this machine.
            with urllib.request.urlopen(request, timeout=30) as answer:  # nosec B310
                if answer.status == 200 and json.loads(answer.read() or b"[]"):
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
            pass
        time.sleep(interval)
    raise TimeoutError(f"{rasa_url} gave no answer within {timeout:.0f} s")


@dataclass
class RunningSystem:
    """One system's processes; `servers` are the ones whose CPU and memory count."""

    name: str
    group: BenchProcesses
    rasa_urls: list[str]
    servers: list[str]
    startup_seconds: float
    rasa_command: list[str] = field(default_factory=list)  # with "{port}" for the port
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = PROJECT_ROOT
    drop_env: tuple[str, ...] = ()
    probe_text: str = "hello"

    def roots(self) -> dict[str, int]:
        return {name: self.group.processes[name].pid for name in self.servers}

    def add_rasa_instance(self) -> float:
        """Start one more Rasa process on the same endpoints; its start-up seconds."""
        name = f"rasa-{len(self.rasa_urls) + 1}"
        port = free_port()
        command = [part.replace("{port}", str(port)) for part in self.rasa_command]
        started = time.monotonic()
        self.group.start(name, command, self.env, cwd=self.cwd, drop_env=self.drop_env)
        url = f"http://{LOOPBACK}:{port}"
        seconds = first_answer(url, self.probe_text, started, self.group)
        self.rasa_urls.append(url)
        self.servers.append(name)
        return seconds

    def stop(self) -> None:
        self.group.stop()


def _started(group: BenchProcesses, start) -> None:
    """Run `start()`; on any failure stop what was started and show the logs."""
    try:
        start()
    except BaseException:
        group.stop()
        for log in sorted(group.log_dir.glob("*.log")):
            sys.stderr.write(f"--- {log.name} ---\n{log.read_text(errors='replace')[-4000:]}\n")
        raise


def our_endpoints(source: Path, action_port: int, workdir: Path) -> str:
    """The project's endpoints.yml (the one `make run` uses) for this run: every URL on
    this machine points to this run's action server, the tracker store keeps its type
    on a SQLite file of `workdir`, and the lock store stays in memory."""
    data = yaml.safe_load(source.read_text()) or {}
    for section in data.values():
        url = section.get("url") if isinstance(section, dict) else None
        if isinstance(url, str) and urlsplit(url).hostname in LOCAL_HOSTS:
            parts = urlsplit(url)
            section["url"] = urlunsplit(parts._replace(netloc=f"{LOOPBACK}:{action_port}"))
    store = data.get("tracker_store") or {"type": "SQL"}
    data["tracker_store"] = {
        **{k: v for k, v in store.items() if k not in SQL_CONNECTION_KEYS},
        "dialect": "sqlite",
        "db": str(workdir / "tracker.db"),
    }
    if (data.get("lock_store") or {}).get("type", "in_memory") != "in_memory":
        # One machine, conversations pinned to an instance: Rasa's in-memory lock store.
        data["lock_store"] = {"type": "in_memory"}
    for name in ("models", "event_broker"):
        data.pop(name, None)
    return yaml.safe_dump(data, sort_keys=False)


def start_ours(workdir: Path, model: Path) -> RunningSystem:
    workdir.mkdir(parents=True, exist_ok=True)
    rasa_port, action_port, sandbox_port = free_port(), free_port(), free_port()
    env = {
        **QUIET_ENV,
        "ASSISTANT_VAR_DIR": str(workdir),
        "ASSISTANT_DATABASE_URL": f"sqlite:///{workdir / 'assistant.db'}",
        "AGENCY_SANDBOX_DATABASE_URL": f"sqlite:///{workdir / 'sandbox.db'}",
        "AGENCY_SANDBOX_PORT": str(sandbox_port),
        "AGENCY_API_URL": f"http://{LOOPBACK}:{sandbox_port}",
        "ACTION_SERVER_PORT": str(action_port),
        "RASA_URL": f"http://{LOOPBACK}:{rasa_port}",
        "PYTHONPATH": str(PROJECT_ROOT),
        # The API token reaches each process through its environment, never argv.
        "RASA_API_TOKEN": uuid.uuid4().hex,
        # Simulated citizens type faster than the per-conversation limit allows.
        "MESSAGES_PER_MINUTE": "1000000",
    }
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(our_endpoints(PROJECT_ROOT / "endpoints.yml", action_port, workdir))
    group = BenchProcesses(workdir / "logs")
    rasa_line = rasa_server_command(model, 0, endpoints)
    rasa_line[rasa_line.index("--port") + 1] = "{port}"
    system = RunningSystem(
        "ours",
        group,
        [],
        ["sandbox", "actions"],
        0.0,
        rasa_command=rasa_line,
        env=env,
        probe_text="hallo",
    )

    def start() -> None:
        group.start("sandbox", sandbox_command(), env)
        group.start("actions", action_server_command(), env)
        wait_for_http(f"http://{LOOPBACK}:{sandbox_port}/_sandbox/health", group, timeout=60)
        wait_for_http(f"http://{LOOPBACK}:{action_port}/health", group, timeout=120)
        command = [part.replace("{port}", str(rasa_port)) for part in rasa_line]
        started = time.monotonic()
        group.start("rasa", command, env)
        url = f"http://{LOOPBACK}:{rasa_port}"
        system.startup_seconds = first_answer(url, system.probe_text, started, group)
        system.rasa_urls.append(url)
        system.servers.append("rasa")

    _started(group, start)
    return system


def start_bare(workdir: Path, project: Path, model: Path) -> RunningSystem:
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    endpoints = workdir / "bare-endpoints.yml"
    endpoints.write_text(
        f"""tracker_store:
  type: SQL
  dialect: "sqlite"
  db: "{workdir / "bare-tracker.db"}"
lock_store:
  type: in_memory
"""
    )
    command = [
        sys.executable,
        "-m",
        "rasa",
        "run",
        "--enable-api",
        "--interface",
        LOOPBACK,
        "--port",
        "{port}",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(project / "credentials.yml"),
    ]
    group = BenchProcesses(workdir / "bare-logs")
    # Nothing of this project on the bare assistant's path.
    system = RunningSystem(
        "bare",
        group,
        [],
        [],
        0.0,
        rasa_command=command,
        env=dict(QUIET_ENV),
        cwd=project,
        drop_env=("PYTHONPATH",),
        probe_text="hello",
    )

    def start() -> None:
        started = time.monotonic()
        line = [part.replace("{port}", str(port)) for part in command]
        group.start("rasa", line, system.env, cwd=project, drop_env=system.drop_env)
        url = f"http://{LOOPBACK}:{port}"
        system.startup_seconds = first_answer(url, system.probe_text, started, group)
        system.rasa_urls.append(url)
        system.servers.append("rasa")

    _started(group, start)
    return system

"""Helpers for tests that run the real processes: ports, the test model, a REST chat."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess  # nosec B404  # runs our own install script with fixed arguments
import sys
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sanic import Blueprint, Sanic
from sqlalchemy import create_engine
from sqlalchemy import text as sql_text

from bot.i18n.catalog import get_catalog
from bot.ops.processes import (
    TRAINING_INPUTS,
    ProcessGroup,
    action_server_command,
    console_command,
    fingerprint,
    rasa_server_command,
    sandbox_command,
    train_model,
    wait_for_http,
)
from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES, load_settings

TEST_CONFIG = "tests/fixtures/config_test.yml"
# What the test model is trained from: everything the full model is, but its own config
# instead of config.yml (so tuning the full model does not retrain the test model).
TEST_MODEL_INPUTS = tuple(name for name in TRAINING_INPUTS if name != "config.yml")
CACHE_DIR = Path(
    os.environ.get("ASSISTANT_TEST_CACHE", Path.home() / ".cache" / "jobseeker-assistant")
)


def t(key: str, language: str, **variables: Any) -> str:
    """The text the citizen reads for `key` in `language` (from the locale files)."""
    return get_catalog().text(key, language, **variables)


@contextmanager
def environment(values: dict[str, str], remove: tuple[str, ...] = ()) -> Iterator[None]:
    """Set variables for child processes started inside the block (start_stack reads
    os.environ), and put everything back afterwards so that other tests see no trace."""
    saved = {name: os.environ.get(name) for name in (*values, *remove)}
    os.environ.update(values)
    for name in remove:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def privacy_notice(language: str | None) -> str:
    """The notice that opens every new conversation: in `language`, or (None) in each."""
    settings = load_settings()  # the servers' settings: the same environment
    languages = [language] if language else list(SUPPORTED_LANGUAGES)
    return "\n".join(
        t(
            "utter_privacy_notice",
            code,
            retention_days=settings.retention_days,
            privacy_url=settings.privacy_policy_url,
        )
        for code in languages
    )


def rows(database_url: str, query: str, **params: Any) -> list[dict[str, Any]]:
    """The rows of a query on one of the running processes' databases."""
    engine = create_engine(database_url, future=True)
    with engine.connect() as connection:
        found = connection.execute(sql_text(query), params).mappings().all()
    engine.dispose()
    return [dict(row) for row in found]


POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@contextmanager
def scratch_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (its URL), dropped afterwards."""
    admin = create_engine(POSTGRES_ADMIN_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(sql_text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # pragma: no cover - the machine provides PostgreSQL
        admin.dispose()
        pytest.fail(f"PostgreSQL at {POSTGRES_ADMIN_URL} is needed: {error}")
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sql_text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@asynccontextmanager
async def serve_blueprint(
    blueprint: Blueprint, url_prefix: str, configure: Callable[[Sanic], None] | None = None
) -> AsyncIterator[str]:
    """A channel's blueprint in a real Sanic server on loopback, listeners run as Rasa runs
    them; `configure` prepares the app first (Rasa's CORS, say). Yields the base URL."""
    Sanic.test_mode = True
    app = Sanic(f"channel_test_{uuid.uuid4().hex[:8]}")
    if configure is not None:
        configure(app)
    app.blueprint(blueprint, url_prefix=url_prefix)
    async with serve_app(app) as base_url:
        yield f"{base_url}{url_prefix}"


@asynccontextmanager
async def serve_app(app: Sanic) -> AsyncIterator[str]:
    """A whole Sanic app in a real server on loopback; yields its base URL."""
    Sanic.test_mode = True
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


def ensure_nginx() -> str:
    """Debian's nginx, installed by scripts/ensure_nginx.sh when missing; fails the test
    with the script's reason when it cannot be had."""
    from bot.ops.nginx import NGINX

    result = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "ensure_nginx.sh")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"nginx is needed: {result.stderr.strip()}", pytrace=False)
    return NGINX


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cached_test_model() -> Path:
    """The small test model, trained once per set of inputs and cached across runs.

    The cache key is a hash of the config, domain, data and custom components, so a
    change to any of them trains a new model.
    """
    key = fingerprint(inputs=TEST_MODEL_INPUTS, config=str(PROJECT_ROOT / TEST_CONFIG))
    cached = CACHE_DIR / f"test-model-{key}.tar.gz"
    if cached.exists():
        return cached
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    # One training at a time: a second test process waits for the first one's model.
    with (CACHE_DIR / "training.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if cached.exists():
            return cached
        build_dir = CACHE_DIR / "build"
        model = train_model(build_dir, "test", config=TEST_CONFIG, force=True)
        shutil.move(str(model), cached)
    return cached


ALWAYS_OPEN = json.dumps(
    {
        agency: {
            day: ["00:00", "23:59"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        }
        for agency in ("default", "VDAB", "Actiris", "Le Forem", "ADG")
    }
)


@dataclass
class Stack:
    """The agency sandbox, the action server and the Rasa server, on free ports."""

    root: Path
    group: ProcessGroup
    rasa_url: str
    action_url: str
    sandbox_url: str
    sandbox_db: str
    assistant_db: str
    console_url: str
    env: dict[str, str] = field(default_factory=dict)
    rasa_command_line: list[str] = field(default_factory=list)

    @property
    def api_token(self) -> str:
        return self.env["RASA_API_TOKEN"]

    def api(self, path: str, body: Any = None, method: str | None = None) -> Any:
        """Rasa's HTTP API with the token in the header (never in the URL)."""
        return api_call(self.rasa_url, self.api_token, path, body, method)

    def chat(self, sender: str) -> Chat:
        """A citizen on the REST channel: the conversation `rest:<sender>`."""
        return Chat(self.rasa_url, sender, self.api_token)

    def stop(self) -> None:
        self.group.stop()

    def restart_rasa(self) -> None:
        """Stop the Rasa server and start it again on the same port and tracker store."""
        process = self.group.processes.pop("rasa")
        process.terminate()
        process.wait(timeout=60)
        self.group.start("rasa", self.rasa_command_line, self.env)
        wait_for_http(
            f"{self.rasa_url}/status", self.group, timeout=300, headers=self.api_headers()
        )

    def api_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_token}"}


def start_stack(workdir: Path, model: Path) -> Stack:
    workdir.mkdir(parents=True, exist_ok=True)
    rasa_port, action_port, sandbox_port = free_port(), free_port(), free_port()
    console_port = free_port()
    sandbox_db = f"sqlite:///{workdir / 'sandbox.db'}"
    assistant_db = f"sqlite:///{workdir / 'assistant.db'}"
    env = {
        "ASSISTANT_VAR_DIR": str(workdir),
        "ASSISTANT_DATABASE_URL": assistant_db,
        "AGENCY_SANDBOX_DATABASE_URL": sandbox_db,
        "AGENCY_SANDBOX_PORT": str(sandbox_port),
        "AGENCY_API_URL": f"http://127.0.0.1:{sandbox_port}",
        "ACTION_SERVER_PORT": str(action_port),
        "AGENCY_TIMEOUT_SECONDS": "2",
        "OUTBOX_POLL_SECONDS": "1",
        "OUTBOX_RETRY_SECONDS": "1",
        "PYTHONPATH": str(PROJECT_ROOT),
        "CONSOLE_PORT": str(console_port),
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        # Counsellors always at work, whatever the hour CI runs at (office hours have
        # their own unit tests).
        "HANDOFF_OFFICE_HOURS": ALWAYS_OPEN,
        # The API token reaches each process through its environment, never argv.
        "RASA_API_TOKEN": uuid.uuid4().hex,
        # Tests type faster than any citizen; the limit has its own tests.
        "MESSAGES_PER_MINUTE": "100000",
    }
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        f"""action_endpoint:
  url: "http://127.0.0.1:{action_port}/webhook"
nlg:
  type: bot.i18n.rasa_nlg.CatalogNaturalLanguageGenerator
tracker_store:
  type: bot.privacy.tracker_store.ForgettingSQLTrackerStore
  dialect: "sqlite"
  db: "{workdir / "tracker.db"}"
"""
    )
    group = ProcessGroup(workdir / "logs")
    rasa_line = rasa_server_command(model, rasa_port, endpoints)
    try:
        group.start("sandbox", sandbox_command(), env)
        group.start("actions", action_server_command(), env)
        group.start("rasa", rasa_line, env)
        wait_for_http(f"http://127.0.0.1:{sandbox_port}/_sandbox/health", group, timeout=60)
        wait_for_http(f"http://127.0.0.1:{action_port}/health", group, timeout=90)
        wait_for_http(
            f"http://127.0.0.1:{rasa_port}/status",
            group,
            timeout=300,
            headers={"Authorization": f"Bearer {env['RASA_API_TOKEN']}"},
        )
        group.start("console", console_command(), env)
        wait_for_http(f"http://127.0.0.1:{console_port}/health", group, timeout=60)
    except BaseException:
        group.stop()
        for log in sorted((workdir / "logs").glob("*.log")):
            sys.stderr.write(f"--- {log.name} ---\n{log.read_text(errors='replace')[-4000:]}\n")
        raise
    return Stack(
        workdir,
        group,
        f"http://127.0.0.1:{rasa_port}",
        f"http://127.0.0.1:{action_port}",
        f"http://127.0.0.1:{sandbox_port}",
        sandbox_db,
        assistant_db,
        f"http://127.0.0.1:{console_port}",
        env,
        rasa_line,
    )


def post_json(url: str, body: Any, timeout: float = 60) -> Any:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read() or b"null")


def get_json(url: str, timeout: float = 30, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read() or b"null")


def api_call(
    rasa_url: str, token: str, path: str, body: Any = None, method: str | None = None
) -> Any:
    """Rasa's HTTP API at `path`, the token in the Authorization header."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{rasa_url}{path}", data=data, headers=headers)
    if method:
        request.method = method
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read() or b"null")


@dataclass
class Chat:
    """One citizen talking to the assistant through Rasa's REST channel."""

    rasa_url: str
    sender: str
    api_token: str = ""
    transcript: list[tuple[str, list[dict]]] = field(default_factory=list)

    @property
    def conversation_id(self) -> str:
        return f"rest:{self.sender}"

    def send(self, text: str) -> list[dict]:
        replies = post_json(
            f"{self.rasa_url}/webhooks/rest/webhook", {"sender": self.sender, "message": text}
        )
        self.transcript.append((text, replies))
        return replies

    @staticmethod
    def text(replies: list[dict]) -> str:
        return "\n".join(r.get("text") or "" for r in replies)

    @staticmethod
    def payloads(replies: list[dict]) -> list[str]:
        return [b.get("payload") for r in replies for b in r.get("buttons") or []]

    def tracker(self) -> dict:
        return api_call(
            self.rasa_url, self.api_token, f"/conversations/{self.conversation_id}/tracker"
        )

    def slots(self) -> dict:
        return self.tracker()["slots"]

    def dump(self) -> str:
        lines = []
        for text, replies in self.transcript:
            lines.append(f"> {text[:120]}")
            lines += [f"< {(r.get('text') or '')[:200]}" for r in replies]
        return "\n".join(lines)

"""Production wiring on real services: nginx, PostgreSQL, Redis, Rasa servers with the
cached test model, action servers and the agency sandbox (bot/ops/cluster.py).

`cluster` is one cluster for the whole folder (loading the model in each Rasa server is
what costs time: about a minute of CPU each): two Rasa servers with the Redis lock store
behind nginx (`rasa-1`, `rasa-2`), two action servers behind nginx (`actions-1`,
`actions-2`), the console, the sandbox; plus one Rasa server that differs only by the
in-memory lock store (`memory-1`, not behind nginx), to show the failure the Redis lock
store prevents. Everything runs on scratch PostgreSQL
databases and under a Redis key prefix of its own, removed afterwards.

Every module has a time budget (`MODULE_BUDGET_SECONDS`, default 180): past it, the
running test fails with a clear message instead of hanging CI. The cluster's start has
its own (`STARTUP_BUDGET_SECONDS`).
"""

from __future__ import annotations

import json
import os
import random
import signal
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.ops.cluster import PRODUCTION_ENDPOINTS, Cluster, ClusterPlan
from bot.ops.processes import rasa_server_command
from tests.support import (
    ALWAYS_OPEN,
    cached_test_model,
    ensure_nginx,
    free_port,
    rows,
    scratch_postgres_database,
)

DEFAULT_MODULE_BUDGET_SECONDS = 180
STARTUP_BUDGET_SECONDS = 420
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
LOCK_STORE_DB = 1  # endpoints.production.yml


class BudgetExceeded(Exception):
    """A module (or the cluster's start) ran longer than it may."""


def _arm(seconds: float, what: str) -> Any:
    def expired(_signum: int, _frame: Any) -> None:
        raise BudgetExceeded(f"{what} ran over its budget of {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    return previous


def _disarm(previous: Any) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module", autouse=True)
def module_budget(request: pytest.FixtureRequest) -> Iterator[None]:
    seconds = getattr(request.module, "MODULE_BUDGET_SECONDS", DEFAULT_MODULE_BUDGET_SECONDS)
    previous = _arm(seconds, request.module.__name__)
    try:
        yield
    finally:
        _disarm(previous)


@pytest.fixture(scope="session")
def nginx() -> str:
    return ensure_nginx()


@pytest.fixture(scope="session")
def production_model() -> Path:
    override = os.environ.get("ASSISTANT_TEST_MODEL")
    return Path(override) if override else cached_test_model()


def memory_lock_endpoints(root: Path) -> Path:
    """endpoints.production.yml with the in-memory lock store instead of Redis."""
    text = PRODUCTION_ENDPOINTS.read_text()
    head, _, _lock_store = text.partition("\nlock_store:")
    path = root / "endpoints.memory-lock.yml"
    path.write_text(f"{head}\nlock_store:\n  type: in_memory\n")
    return path


@pytest.fixture(scope="session")
def cluster(production_model: Path, nginx: str, tmp_path_factory) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("cluster")
    prefix = f"test:{uuid.uuid4().hex[:12]}:"
    with (
        scratch_postgres_database("cluster_assistant") as database,
        scratch_postgres_database("cluster_tracker") as tracker,
    ):
        plan = ClusterPlan(
            root=root,
            model=production_model,
            rasa_ports=[free_port(), free_port()],
            action_ports=[free_port(), free_port()],
            console_port=free_port(),
            rasa_listen=free_port(),
            actions_listen=free_port(),
            console_listen=free_port(),
            database_url=database,
            tracker_database_url=tracker,
            redis_url=TEST_REDIS_URL,
            redis_key_prefix=prefix,
            sandbox_port=free_port(),
            extra_env={
                # Tests type faster than any citizen; the limit has its own tests.
                "MESSAGES_PER_MINUTE": "100000",
                "HANDOFF_OFFICE_HOURS": ALWAYS_OPEN,
                "AGENCY_TIMEOUT_SECONDS": "2",
                "OUTBOX_POLL_SECONDS": "1",
                "OUTBOX_RETRY_SECONDS": "1",
            },
        )
        running = Cluster(plan)
        previous = _arm(STARTUP_BUDGET_SECONDS, "starting the cluster")
        try:
            running.prepare()
            running.launch()
            memory_endpoints = memory_lock_endpoints(root)
            env = plan.environment()
            port = free_port()
            running.add(
                "rasa",
                "memory-1",
                rasa_server_command(production_model, port, memory_endpoints),
                env,
                health=(f"http://127.0.0.1:{port}/status", running.api_headers()),
            )
            running.wait_all()
        except BaseException:
            running.stop()
            running.print_logs()
            raise
        finally:
            _disarm(previous)
        try:
            yield running
        finally:
            running.stop()
            if os.environ.get("SHOW_STACK_LOGS"):
                running.print_logs(80)
            _forget_keys(prefix)


def _forget_keys(prefix: str) -> None:
    client = redis.Redis.from_url(TEST_REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


# -- talking to the cluster ----------------------------------------------------------


def instance_url(cluster: Cluster, name: str) -> str:
    """The base URL of one Rasa server (`rasa-1`, `memory-1`) or of nginx (`nginx`)."""
    if name == "nginx":
        return cluster.plan.rasa_url
    return cluster.health[name][0].removesuffix("/status")


def call(url: str, body: Any = None, token: str = "", timeout: float = 90) -> tuple[int, Any]:
    """(status, JSON answer) of a GET, or of a POST of `body`, with a bearer token."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@dataclass
class ProductionChat:
    """A citizen on the REST channel of a production cluster (the channel's token is
    required there, from loopback too); each message to the instance it names."""

    cluster: Cluster
    sender: str = field(default_factory=lambda: f"prod-{uuid.uuid4().hex[:10]}")
    sent: list[str] = field(default_factory=list)

    @property
    def conversation_id(self) -> str:
        return f"rest:{self.sender}"

    def send(self, text: str, via: str = "nginx", timeout: float = 90) -> list[dict]:
        status, replies = call(
            f"{instance_url(self.cluster, via)}/webhooks/rest/webhook",
            {"sender": self.sender, "message": text},
            self.cluster.plan.secret("REST_CHANNEL_TOKEN"),
            timeout,
        )
        assert status == 200, f"{via} answered {status}: {replies}"
        self.sent.append(text)
        return replies

    @staticmethod
    def text(replies: list[dict]) -> str:
        return "\n".join(reply.get("text") or "" for reply in replies)

    def tracker(self, via: str = "nginx") -> dict:
        status, tracker = call(
            f"{instance_url(self.cluster, via)}/conversations/{self.conversation_id}/tracker",
            token=self.cluster.plan.secret("RASA_API_TOKEN"),
        )
        assert status == 200, tracker
        return tracker

    def user_texts(self, via: str = "nginx") -> list[str]:
        return [e["text"] for e in self.tracker(via)["events"] if e["event"] == "user"]


@dataclass(frozen=True)
class Citizen:
    """A national register number nobody else in the run has, and its birth date."""

    national_number: str
    birth_date: str  # as the citizen types it: dd/mm/yyyy

    @classmethod
    def new(cls, rng: random.Random | None = None) -> Citizen:
        rng = rng or random.Random()
        year, month, day = rng.randint(50, 99), rng.randint(1, 12), rng.randint(1, 28)
        base = f"{year:02d}{month:02d}{day:02d}{rng.randint(1, 997):03d}"
        return cls(f"{base}{97 - int(base) % 97:02d}", f"{day:02d}/{month:02d}/19{year:02d}")


# A registration in English, as pairs of (message, key of the question that must follow).
def registration_steps(citizen: Citizen) -> list[tuple[str, str | None]]:
    return [
        ('/switch_language{"language": "en"}', "utter_language_switched"),
        ("i want to register as a jobseeker", "utter_ask_national_number"),
        (citizen.national_number, "utter_ask_given_name"),
        ("Ahmed", "utter_ask_family_name"),
        ("Yilmaz", "utter_ask_birth_date"),
        (citizen.birth_date, "utter_ask_postcode"),
        ("1030", "utter_ask_phone"),
        ("0032 478 11 22 33", "utter_ask_email"),
        ("/deny", "utter_ask_education_level"),
        ('/inform{"education_level": "secondary"}', "utter_ask_occupation"),
        ("warehouse worker", None),  # the summary
    ]


def sandbox_rows(cluster: Cluster, query: str, **params: Any) -> list[dict]:
    return rows(f"sqlite:///{cluster.plan.root / 'agency_sandbox.db'}", query, **params)


def outbox_rows(cluster: Cluster, conversation_id: str) -> list[dict]:
    return rows(
        cluster.plan.database_url,
        "SELECT local_reference, status, attempts, agency_reference FROM outbox_submissions "
        "WHERE conversation_id = :c ORDER BY id",
        c=conversation_id,
    )


def sandbox_control(cluster: Cluster, method: str, path: str, body: Any = None) -> None:
    request = urllib.request.Request(
        f"{cluster.plan.sandbox_url}{path}",
        method=method,
        data=json.dumps(body or {}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).read()

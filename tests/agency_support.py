"""Helpers of the agency and sandbox tests: payloads, a REAL sandbox on loopback, clients,
an outbox on a throw-away SQLite database.

The fixtures are defined here once; `tests/unit/agency/conftest.py` and
`tests/unit/sandbox/conftest.py` expose the ones their tests use.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import MetaData, event, select
from sqlalchemy.engine import Engine

from bot.agency.client import AgencyClient
from bot.agency.models import OutboxSubmission
from bot.agency.outbox import Outbox
from bot.db import Base, make_engine, make_session_factory, session_scope
from bot.sandbox import create_app
from bot.sandbox.models import DocumentRequest, IdempotencyKey, Jobseeker, SandboxBase
from bot.sandbox.state import STATE

CLIENT_ID = "test-assistant"
CLIENT_SECRET = "test-secret"


def national_number(serial: int = 1, birth: str = "900101") -> str:
    """A valid Belgian national number (born in the 1900s) with the given serial."""
    assert 1 <= serial <= 997
    first9 = f"{birth}{serial:03d}"
    return f"{first9}{97 - int(first9) % 97:02d}"


def registration(serial: int = 1, **overrides) -> dict:
    payload = {
        "national_number": national_number(serial),
        "given_name": "An",
        "family_name": "Peeters",
        "birth_date": "1990-01-01",
        "postcode": "9000",
        "phone": "+32470123456",
        "email": "an.peeters@example.org",
        "education_level": "higher",
        "occupation": "verpleegkundige",
        "language": "nl",
    }
    payload.update(overrides)
    return payload


def document_request(serial: int = 1, **overrides) -> dict:
    payload = {
        "document_type": "jobseeker_certificate",
        "national_number": national_number(serial),
        "delivery": "email",
        "email": "an.peeters@example.org",
        "language": "nl",
    }
    payload.update(overrides)
    return payload


def fast_sqlite(engine: Engine) -> Engine:
    """Throw-away test databases need no fsync (about 10 ms per commit otherwise)."""

    @event.listens_for(engine, "connect")
    def _no_fsync(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    engine.dispose()  # connections opened before the listener reconnect with it
    return engine


_TEMPLATES: dict[str, Path] = {}


def fresh_database(path: Path, metadata: MetaData) -> Path:
    """`path` as a copy of an empty database with the tables of `metadata`.

    Creating the tables costs ~50 ms of fsyncs; copying a template once made costs ~1 ms.
    """
    key = str(id(metadata))
    if key not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="agency-test-templates-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "template.db"
        engine = make_engine(f"sqlite:///{template}")
        metadata.create_all(engine)
        engine.dispose()
        _TEMPLATES[key] = template
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_TEMPLATES[key], path)
    return path


@dataclass
class RunningSandbox:
    """A sandbox served on 127.0.0.1 (random port) plus helpers to drive and inspect it."""

    base_url: str
    app: web.Application
    http: aiohttp.ClientSession

    async def token(self) -> str:
        async with self.http.post(
            f"{self.base_url}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
            },
        ) as response:
            assert response.status == 200, await response.text()
            return (await response.json())["access_token"]

    async def auth(self) -> dict:
        return {"Authorization": f"Bearer {await self.token()}"}

    async def post(self, path, body, key="key-1", headers=None) -> tuple[int, bytes, dict]:
        """An authenticated POST: (status, raw body, JSON body or {})."""
        headers = {**(await self.auth()), **(headers or {})}
        if key is not None:
            headers["Idempotency-Key"] = key
        async with self.http.post(f"{self.base_url}{path}", json=body, headers=headers) as r:
            raw = await r.read()
            return r.status, raw, (await r.json()) if r.content_type.endswith("json") else {}

    async def get(self, path, headers=None, params=None) -> tuple[int, dict]:
        """A GET, authenticated unless `headers` are given: (status, JSON body)."""
        headers = (await self.auth()) if headers is None else headers
        async with self.http.get(f"{self.base_url}{path}", headers=headers, params=params) as r:
            return r.status, await r.json()

    async def faults(self, **body) -> dict:
        async with self.http.post(f"{self.base_url}/_sandbox/faults", json=body) as response:
            assert response.status == 200, await response.text()
            return await response.json()

    async def reset_faults(self) -> None:
        async with self.http.delete(f"{self.base_url}/_sandbox/faults") as response:
            assert response.status == 200

    async def revoke_tokens(self) -> None:
        async with self.http.delete(f"{self.base_url}/_sandbox/tokens") as response:
            assert response.status == 200

    async def health(self) -> dict:
        async with self.http.get(f"{self.base_url}/_sandbox/health") as response:
            assert response.status == 200
            return await response.json()

    async def counter(self, name: str) -> int:
        return (await self.health())["counters"].get(name, 0)

    def jobseekers(self) -> list[Jobseeker]:
        with session_scope(self.app[STATE].session_factory) as session:
            return list(session.execute(select(Jobseeker)).scalars())

    def document_requests(self) -> list[DocumentRequest]:
        with session_scope(self.app[STATE].session_factory) as session:
            return list(session.execute(select(DocumentRequest)).scalars())

    def idempotency_keys(self) -> list[IdempotencyKey]:
        with session_scope(self.app[STATE].session_factory) as session:
            return list(session.execute(select(IdempotencyKey)).scalars())


@asynccontextmanager
async def running_sandbox(
    database_path: Path, *, token_lifetime_seconds: int = 3600
) -> AsyncIterator[RunningSandbox]:
    fresh_database(database_path, SandboxBase.metadata)
    app = create_app(
        f"sqlite:///{database_path}",
        CLIENT_ID,
        CLIENT_SECRET,
        token_lifetime_seconds=token_lifetime_seconds,
    )
    fast_sqlite(app[STATE].session_factory.kw["bind"])
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with aiohttp.ClientSession() as http:
            yield RunningSandbox(f"http://127.0.0.1:{port}", app, http)
    finally:
        await runner.cleanup()


@pytest.fixture
async def sandbox(tmp_path) -> AsyncIterator[RunningSandbox]:
    async with running_sandbox(tmp_path / "sandbox.db") as running:
        yield running


def make_client(base_url: str, **overrides) -> AgencyClient:
    """A client with tiny timeouts and backoffs, so failure tests stay fast."""
    options = {
        "timeout_seconds": 2.0,
        "max_attempts": 3,
        "backoff_seconds": 0.01,
        **overrides,
    }
    return AgencyClient(base_url, CLIENT_ID, CLIENT_SECRET, **options)


@pytest.fixture
async def agency_client(sandbox) -> AsyncIterator[AgencyClient]:
    async with make_client(sandbox.base_url) as client:
        yield client


def make_outbox(database_path: Path, **overrides) -> Outbox:
    fresh_database(database_path, Base.metadata)
    engine = fast_sqlite(make_engine(f"sqlite:///{database_path}"))
    Base.metadata.create_all(engine)  # a no-op unless tables were added since the template
    options = {
        "lease_seconds": 30.0,
        "retry_base_seconds": 0.0,
        "fresh_grace_seconds": 0.0,
        **overrides,
    }
    return Outbox(make_session_factory(engine), **options)


@pytest.fixture
def outbox(tmp_path) -> Outbox:
    return make_outbox(tmp_path / "assistant.db")


def outbox_rows(outbox: Outbox) -> list[OutboxSubmission]:
    with session_scope(outbox.session_factory) as session:
        return list(session.execute(select(OutboxSubmission)).scalars())

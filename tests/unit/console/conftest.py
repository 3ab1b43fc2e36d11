"""Fixtures of the console tests.

A real aiohttp server runs the console on a migrated SQLite file; a small aiohttp stub on
loopback plays Rasa's HTTP API (tracker reads and `execute` calls, which it records).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiohttp.test_utils import TestServer

from bot.accounts import users
from bot.console.app import create_app
from bot.console.rasa_api import RasaApi
from bot.db import make_engine, make_session_factory
from bot.handoff import state
from bot.migrations import upgrade_database
from tests.unit.console.helpers import CONVERSATION, PASSWORD, TOKEN, USERS, Console, RasaStub

# --- database: migrated once per test session, copied for every test ---------------------


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A migrated database with the users (scrypt runs once per user, once per session)."""
    path = tmp_path_factory.mktemp("console-template") / "template.db"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    ids = {
        name: users.create_user(factory, name, PASSWORD, role, name.capitalize()).id
        for name, role in USERS
    }
    engine.dispose()
    return path, ids


@pytest.fixture
def db(template_db, tmp_path):
    source, ids = template_db
    target = tmp_path / "console.db"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    engine = make_engine(f"sqlite:///{target}")
    yield SimpleNamespace(factory=make_session_factory(engine), ids=ids)
    engine.dispose()


@pytest.fixture
def waiting_id(db) -> int:
    request, created = state.request_handoff(
        db.factory, CONVERSATION, "telegram", "nl", "asked", agency="VDAB"
    )
    assert created
    return request.id


@pytest.fixture
def held_id(db, waiting_id) -> int:
    """The waiting request, taken by anna."""
    assert state.take(db.factory, waiting_id, db.ids["anna"])
    return waiting_id


@pytest.fixture
def closed_id(db, held_id) -> int:
    """The request anna held, closed by her."""
    assert state.close(db.factory, held_id, db.ids["anna"], "resolved")
    return held_id


# --- servers ---------------------------------------------------------------------------


@pytest.fixture
async def rasa_stub():
    stub = RasaStub()
    server = TestServer(stub.application(), host="127.0.0.1")
    await server.start_server()
    stub.base_url = str(server.make_url("")).rstrip("/")
    yield stub
    await server.close()


@pytest.fixture
async def make_console(db):
    consoles: list[Console] = []

    async def make(rasa: RasaApi) -> Console:
        server = TestServer(create_app(db.factory, rasa, secure_cookies=False), host="127.0.0.1")
        await server.start_server()
        console = Console(server)
        consoles.append(console)
        return console

    yield make
    for console in consoles:
        await console.close()


@pytest.fixture
async def console(make_console, rasa_stub) -> Console:
    return await make_console(RasaApi(rasa_stub.base_url, token=TOKEN))

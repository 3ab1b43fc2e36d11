"""Plain helpers of the console tests: a stub of Rasa's HTTP API, browsers, forms.

Fixtures are in conftest.py; test modules import what they need from here.
"""

from __future__ import annotations

import re
import socket

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.audit import AuditEvent
from bot.console.rasa_api import SYNC_ACTION
from bot.console.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from bot.db import session_scope
from bot.handoff import models, queries

PASSWORD = "correct horse battery"
USERS = (("anna", "counsellor"), ("bram", "counsellor"), ("tom", "trainer"))
CONVERSATION = "conv-42"
NATIONAL_NUMBER = "85031212345"
PHONE = "+32499123456"
CITIZEN_TEXT = "I would like to talk to a person"
BOT_TEXT = "I will look for a counsellor for you."


CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


# --- the stub Rasa ---------------------------------------------------------------------


class RasaStub:
    """Rasa's HTTP API as the console uses it; remembers every call."""

    def __init__(self) -> None:
        self.base_url = ""
        self.executes: list[tuple[str, dict, dict]] = []
        self.tracker_reads: list[tuple[str, dict]] = []

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/conversations/{id}/tracker", self._tracker)
        app.router.add_post("/conversations/{id}/execute", self._execute)
        return app

    async def _tracker(self, request: web.Request) -> web.Response:
        conversation_id = request.match_info["id"]
        self.tracker_reads.append((conversation_id, dict(request.query)))
        return web.json_response(
            {
                "sender_id": conversation_id,
                "slots": {
                    "national_number": NATIONAL_NUMBER,
                    "phone": PHONE,
                    "given_name": "Lotte",
                },
                "events": [
                    {"event": "action", "name": "action_listen", "timestamp": 1700000000.0},
                    {"event": "user", "text": CITIZEN_TEXT, "timestamp": 1700000001.0},
                    {"event": "bot", "text": BOT_TEXT, "timestamp": 1700000002.0},
                ],
                "active_loop": {},
            }
        )

    async def _execute(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.executes.append((request.match_info["id"], body, dict(request.query)))
        return web.json_response({"tracker": {}, "messages": []})

    def syncs(self, conversation_id: str = CONVERSATION) -> list[dict]:
        return [
            query
            for cid, body, query in self.executes
            if cid == conversation_id and body.get("name") == SYNC_ACTION
        ]


# --- the database ----------------------------------------------------------------------


def status_of(db, request_id: int) -> models.HandoffRequest:
    return queries.get_request(db.factory, request_id)


def audit_events(db, action: str) -> list[AuditEvent]:
    with session_scope(db.factory) as session:
        return list(
            session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


# --- servers and clients ---------------------------------------------------------------


class Console:
    """One console server; `client()` gives a browser with its own cookie jar."""

    def __init__(self, server: TestServer) -> None:
        self.server = server
        self.clients: list[TestClient] = []

    async def client(self) -> TestClient:
        client = TestClient(self.server)
        await client.start_server()
        self.clients.append(client)
        return client

    async def counsellor(self, username: str) -> tuple[TestClient, str]:
        client = await self.client()
        return client, await logged_in(client, username)

    async def close(self) -> None:
        for client in self.clients:
            await client.close()
        await self.server.close()


async def login(client: TestClient, username: str, password: str = PASSWORD):
    """GET /login for its CSRF token, then POST the form; the (unfollowed) answer."""
    page = await client.get("/login")
    html = await page.text()
    assert page.status == 200
    token = CSRF_INPUT.search(html).group(1)
    assert client.session.cookie_jar.filter_cookies(client.make_url("/"))[
        LOGIN_CSRF_COOKIE
    ].value == (token)
    answer = await client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )
    await answer.read()
    return answer


async def logged_in(client: TestClient, username: str) -> str:
    """Log in and give the session's CSRF token (from the meta tag of a page)."""
    answer = await login(client, username)
    assert answer.status == 303, await answer.text()
    page = await client.get("/")
    token = CSRF_META.search(await page.text()).group(1)
    assert token
    return token


def session_cookie(client: TestClient) -> str | None:
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/")).get(SESSION_COOKIE)
    return cookie.value if cookie is not None else None


def set_cookie_header(answer, name: str) -> str | None:
    for header in answer.headers.getall("Set-Cookie", []):
        if header.startswith(f"{name}="):
            return header
    return None


async def post(client: TestClient, path: str, data: dict | None = None, **kwargs):
    answer = await client.post(path, data=data or {}, allow_redirects=False, **kwargs)
    await answer.read()
    return answer


async def take(client: TestClient, token: str, request_id: int):
    answer = await post(client, f"/handoffs/{request_id}/take", {"csrf_token": token})
    assert answer.status == 303 and answer.headers["Location"] == f"/handoffs/{request_id}"
    return answer


def closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

"""Plain helpers of the console tests: a stub of Rasa's HTTP API, browsers, forms.

Fixtures are in conftest.py; test modules import what they need from here.
"""

from __future__ import annotations

import json
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
USERS = (("anna", "counsellor"), ("bram", "counsellor"), ("tom", "trainer"), ("ada", "admin"))
CONVERSATION = "tg:4242"
TOKEN = "t"
NATIONAL_NUMBER = "85031212345"
TYPED_NATIONAL_NUMBER = "85.03.12-123.45"
PHONE = "+32499123456"
TYPED_PHONE = "0470 12 34 56"
EMAIL = "lotte.peeters@example.org"
BIRTH_DATE = "1985-03-12"
BIRTH_DATE_SHOWN = "12 March 1985"  # how the assistant's summary writes it (en)
GIVEN_NAME = "Lotte"
CITIZEN_TEXT = "I would like to talk to a person"
BOT_TEXT = "I will look for a counsellor for you."
CONTACT_TEXT = f"You can call me on {TYPED_PHONE} or write to {EMAIL}"
# Every clear value a page must not show before a reveal.
PERSONAL_VALUES = (
    NATIONAL_NUMBER,
    TYPED_NATIONAL_NUMBER,
    PHONE,
    TYPED_PHONE,
    EMAIL,
    BIRTH_DATE,
    BIRTH_DATE_SHOWN,
)


def slot(name: str, value, at: float) -> dict:
    return {"event": "slot", "name": name, "value": value, "timestamp": at}


def user(text: str, at: float) -> dict:
    return {"event": "user", "text": text, "timestamp": at}


def bot(text: str, at: float, buttons: list | None = None) -> dict:
    return {"event": "bot", "text": text, "timestamp": at, "data": {"buttons": buttons or []}}


def default_tracker(conversation_id: str) -> dict:
    """A registration half-way: the national number typed at its question (event 5),
    the birth date in the summary's words (event 9), then a handoff, held, in which the
    citizen writes a phone number and an e-mail (event 14)."""
    events = [
        {"event": "action", "name": "action_listen", "timestamp": 1700000000.0},
        user("I want to register", 1700000001.0),
        {"event": "active_loop", "name": "registration_form", "timestamp": 1700000001.1},
        slot("requested_slot", "national_number", 1700000001.2),
        bot("What is your national register number?", 1700000001.3),
        user(TYPED_NATIONAL_NUMBER, 1700000002.0),
        slot("national_number", NATIONAL_NUMBER, 1700000002.1),
        slot("birth_date", BIRTH_DATE, 1700000002.2),
        slot("requested_slot", "given_name", 1700000002.3),
        bot(f"Born on {BIRTH_DATE_SHOWN}. What is your given name?", 1700000002.4),
        user(CITIZEN_TEXT, 1700000003.0),
        bot(BOT_TEXT, 1700000004.0),
        slot("handoff_active", True, 1700000005.0),
        bot("Anna answers you now.", 1700000005.1),
        user(CONTACT_TEXT, 1700000006.0),
    ]
    return {
        "sender_id": conversation_id,
        "slots": {
            "national_number": NATIONAL_NUMBER,
            "birth_date": BIRTH_DATE,
            "phone": PHONE,
            "given_name": GIVEN_NAME,
            "requested_slot": "given_name",
            "handoff_active": True,
        },
        "events": events,
        "active_loop": {"name": "registration_form"},
    }


CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


# --- the stub Rasa ---------------------------------------------------------------------


class RasaStub:
    """Rasa's HTTP API as the console uses it; remembers every call.

    Like the Rasa server, it takes the API token from the `Authorization: Bearer` header
    only: a call without it (or with the token in the URL) gets 401.
    """

    def __init__(self) -> None:
        self.base_url = ""
        self.executes: list[tuple[str, dict, dict]] = []
        self.tracker_reads: list[tuple[str, dict]] = []
        self.urls: list[str] = []
        self.refused: list[str] = []
        self.headers: list[dict[str, str]] = []
        self.trackers: dict[str, dict] = {}

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._bearer_only])
        app.router.add_get("/conversations/{id}/tracker", self._tracker)
        app.router.add_post("/conversations/{id}/execute", self._execute)
        return app

    @web.middleware
    async def _bearer_only(self, request: web.Request, handler) -> web.StreamResponse:
        self.urls.append(request.path_qs)
        self.headers.append(dict(request.headers))
        if "token" in request.query or request.headers.get("Authorization") != f"Bearer {TOKEN}":
            self.refused.append(request.path_qs)
            return web.json_response(
                {"status": "failure", "reason": "NotAuthenticated"}, status=401
            )
        return await handler(request)

    async def _tracker(self, request: web.Request) -> web.Response:
        conversation_id = request.match_info["id"]
        self.tracker_reads.append((conversation_id, dict(request.query)))
        tracker = self.trackers.get(conversation_id) or default_tracker(conversation_id)
        if request.query.get("include_events") == "NONE":
            tracker = {**tracker, "events": []}
        return web.json_response(tracker)

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
            session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            ).scalars()
        )


def audit_details(db, action: str) -> list[dict]:
    return [json.loads(event.detail) for event in audit_events(db, action)]


def audit_dump(db) -> str:
    """Every audit row as one string, to look for what must never be there."""
    with session_scope(db.factory) as session:
        events = session.execute(select(AuditEvent)).scalars().all()
        return " ".join(f"{e.actor} {e.action} {e.conversation_id} {e.detail}" for e in events)


def assert_no_personal_data(text: str) -> None:
    for value in PERSONAL_VALUES:
        assert value not in text, value


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

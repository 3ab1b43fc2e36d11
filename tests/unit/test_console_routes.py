"""The counsellors' web console over HTTP: sessions, roles, CSRF, the handoff routes.

A real aiohttp server runs the console on a migrated SQLite file; a small aiohttp stub on
loopback plays Rasa's HTTP API (tracker reads and `execute` calls, which it records).
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot import handoff
from bot.audit import AuditEvent
from bot.console import auth
from bot.console.app import LOGIN_CSRF_COOKIE, SESSION_COOKIE, create_app
from bot.console.rasa_api import SYNC_ACTION, RasaApi
from bot.db import make_engine, make_session_factory, session_scope
from bot.migrations import upgrade_database

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


# --- database: migrated once per module, copied for every test --------------------------


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    """A migrated database with the users (scrypt runs once per user, once per module)."""
    path = tmp_path_factory.mktemp("console-template") / "template.db"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    ids = {
        name: auth.create_user(factory, name, PASSWORD, role, name.capitalize()).id
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
    request, created = handoff.request_handoff(db.factory, CONVERSATION, "telegram", "nl", "asked")
    assert created
    return request.id


def status_of(db, request_id: int) -> handoff.HandoffRequest:
    return handoff.get_request(db.factory, request_id)


def audit_events(db, action: str) -> list[AuditEvent]:
    with session_scope(db.factory) as session:
        return list(
            session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


# --- servers and clients ---------------------------------------------------------------


@pytest.fixture
async def rasa_stub():
    stub = RasaStub()
    server = TestServer(stub.application(), host="127.0.0.1")
    await server.start_server()
    stub.base_url = str(server.make_url("")).rstrip("/")
    yield stub
    await server.close()


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
    return await make_console(RasaApi(rasa_stub.base_url, token="t"))


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


# --- 1. anonymous visitors -------------------------------------------------------------

GET_ROUTES = ("/", "/queue", "/events", "/handoffs/{id}", "/handoffs/{id}/transcript")
POST_ROUTES = (
    ("/logout", {}),
    ("/handoffs/{id}/take", {}),
    ("/handoffs/{id}/reply", {"text": "hello"}),
    ("/handoffs/{id}/hand-back", {}),
    ("/handoffs/{id}/close", {"outcome": "resolved"}),
    ("/handoffs/{id}/reveal", {"field": "national_number"}),
)


@pytest.mark.parametrize("route", GET_ROUTES)
async def test_anonymous_pages_redirect_to_login(console, waiting_id, route):
    client = await console.client()
    answer = await client.get(route.format(id=waiting_id), allow_redirects=False)
    assert answer.status == 303
    assert answer.headers["Location"] == "/login"


@pytest.mark.parametrize("route", GET_ROUTES)
async def test_anonymous_json_requests_get_401(console, waiting_id, route):
    client = await console.client()
    answer = await client.get(
        route.format(id=waiting_id), headers={"Accept": "application/json"}, allow_redirects=False
    )
    assert answer.status == 401


@pytest.mark.parametrize(("route", "data"), POST_ROUTES)
async def test_anonymous_posts_get_401_and_change_nothing(
    console, rasa_stub, db, waiting_id, route, data
):
    client = await console.client()
    answer = await post(client, route.format(id=waiting_id), {**data, "csrf_token": "x"})
    assert answer.status == 401
    assert status_of(db, waiting_id).status == handoff.WAITING
    assert handoff.conversation_messages(db.factory, waiting_id) == []
    assert rasa_stub.executes == []


async def test_a_forged_session_cookie_is_anonymous(console, waiting_id):
    client = await console.client()
    client.session.cookie_jar.update_cookies(
        {SESSION_COOKIE: "not-a-real-session"}, client.make_url("/")
    )
    answer = await client.get("/", allow_redirects=False)
    assert answer.status == 303 and answer.headers["Location"] == "/login"


# --- 2. the wrong role -----------------------------------------------------------------


@pytest.mark.parametrize("route", GET_ROUTES)
async def test_a_trainer_cannot_open_counsellor_pages(console, waiting_id, route):
    client, _ = await console.counsellor("tom")
    answer = await client.get(route.format(id=waiting_id), allow_redirects=False)
    assert answer.status == 403
    assert "Not allowed" in await answer.text()


@pytest.mark.parametrize(("route", "data"), POST_ROUTES[1:])
async def test_a_trainer_cannot_post_handoff_routes_even_with_a_valid_token(
    console, rasa_stub, db, waiting_id, route, data
):
    client, token = await console.counsellor("tom")
    if not route.endswith("/take"):  # the other routes act on an active request: anna's
        anna, anna_token = await console.counsellor("anna")
        await take(anna, anna_token, waiting_id)
    before = status_of(db, waiting_id)
    syncs_before = len(rasa_stub.syncs())

    answer = await post(client, route.format(id=waiting_id), {**data, "csrf_token": token})
    assert answer.status == 403
    after = status_of(db, waiting_id)
    assert (after.status, after.counsellor_id) == (before.status, before.counsellor_id)
    assert handoff.conversation_messages(db.factory, waiting_id) == []
    assert audit_events(db, "personal_data_revealed") == []
    assert len(rasa_stub.syncs()) == syncs_before

    # The same token is good: the trainer may log out with it, so the 403 was the role.
    out = await post(client, "/logout", {"csrf_token": token})
    assert out.status == 303 and out.headers["Location"] == "/login"


# --- 3. CSRF ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", [{}, {"csrf_token": ""}, {"csrf_token": "wrong-token"}], ids=["none", "empty", "wrong"]
)
async def test_take_without_the_right_csrf_token_is_refused(
    console, rasa_stub, db, waiting_id, bad
):
    client, _ = await console.counsellor("anna")
    answer = await post(client, f"/handoffs/{waiting_id}/take", bad)
    assert answer.status == 403
    assert status_of(db, waiting_id).status == handoff.WAITING
    assert status_of(db, waiting_id).counsellor_id is None
    assert rasa_stub.executes == []


async def test_a_wrong_csrf_header_is_refused(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    answer = await post(
        client, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": token[:-1] + "x"}
    )
    assert answer.status == 403
    assert status_of(db, waiting_id).status == handoff.WAITING


async def test_another_sessions_csrf_token_is_refused(console, db, waiting_id):
    anna, _ = await console.counsellor("anna")
    _, bram_token = await console.counsellor("bram")
    answer = await post(anna, f"/handoffs/{waiting_id}/take", {"csrf_token": bram_token})
    assert answer.status == 403
    assert status_of(db, waiting_id).status == handoff.WAITING


@pytest.mark.parametrize("how", ["form", "header"])
async def test_take_with_the_right_csrf_token(console, rasa_stub, db, waiting_id, how):
    client, token = await console.counsellor("anna")
    if how == "form":
        answer = await post(client, f"/handoffs/{waiting_id}/take", {"csrf_token": token})
    else:
        answer = await post(client, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": token})
    assert answer.status == 303
    assert answer.headers["Location"] == f"/handoffs/{waiting_id}"
    row = status_of(db, waiting_id)
    assert row.status == handoff.ACTIVE and row.counsellor_id == db.ids["anna"]
    assert rasa_stub.executes == [
        (
            CONVERSATION,
            {"name": SYNC_ACTION, "policy": "console", "confidence": 1.0},
            {"token": "t", "output_channel": "latest"},
        )
    ]


async def test_take_answers_json_when_asked(console, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    json_accept = {"Accept": "application/json"}
    won = await post(
        anna, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": anna_token, **json_accept}
    )
    assert won.status == 200 and await won.json() == {"taken": True}
    lost = await post(
        bram, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": bram_token, **json_accept}
    )
    assert lost.status == 409 and await lost.json() == {"taken": False}
    assert status_of(db, waiting_id).counsellor_id == db.ids["anna"]


async def test_take_of_an_unknown_request_is_404(console, db):
    client, token = await console.counsellor("anna")
    for request_id in ("999", "abc"):
        answer = await post(client, f"/handoffs/{request_id}/take", {"csrf_token": token})
        assert answer.status == 404


async def test_login_without_the_login_csrf_cookie_or_field_is_refused(console, db):
    # Neither cookie nor field.
    client = await console.client()
    answer = await post(client, "/login", {"username": "anna", "password": PASSWORD})
    assert answer.status == 403
    assert set_cookie_header(answer, SESSION_COOKIE) is None

    # The cookie (from the login page) but no field.
    page = await client.get("/login")
    token = CSRF_INPUT.search(await page.text()).group(1)
    answer = await post(client, "/login", {"username": "anna", "password": PASSWORD})
    assert answer.status == 403

    # The field but no cookie (another browser).
    other = await console.client()
    answer = await post(
        other, "/login", {"username": "anna", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status == 403
    assert session_cookie(client) is None and session_cookie(other) is None

    # Control: cookie and field together log in.
    answer = await post(
        client, "/login", {"username": "anna", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status == 303


NON_ASCII_TOKEN = "t\u00f6k\u00e9n"  # "tökén": encodable in a form field and in a header


@pytest.mark.parametrize("where", ["form", "header", "login"])
async def test_a_non_ascii_csrf_token_is_refused_not_a_server_error(console, db, waiting_id, where):
    if where == "login":
        client = await console.client()
        await client.get("/login")  # the login CSRF cookie is set
        form = {"username": "anna", "password": PASSWORD, "csrf_token": NON_ASCII_TOKEN}
        answer = await post(client, "/login", form)
        assert answer.status == 403
        assert session_cookie(client) is None
        return
    client, _ = await console.counsellor("anna")
    if where == "form":
        answer = await post(client, f"/handoffs/{waiting_id}/take", {"csrf_token": NON_ASCII_TOKEN})
    else:
        answer = await post(
            client, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": NON_ASCII_TOKEN}
        )
    assert answer.status == 403
    assert status_of(db, waiting_id).status == handoff.WAITING


# --- 4. login and logout ---------------------------------------------------------------


async def test_a_wrong_password_is_401_without_a_session(console, db):
    client = await console.client()
    answer = await login(client, "anna", "not the password")
    assert answer.status == 401
    assert "Wrong username or password." in await answer.text()
    assert set_cookie_header(answer, SESSION_COOKIE) is None
    assert session_cookie(client) is None
    assert (await client.get("/", allow_redirects=False)).status == 303


async def test_an_unknown_user_is_401_too(console, db):
    client = await console.client()
    answer = await login(client, "nobody", PASSWORD)
    assert answer.status == 401
    assert session_cookie(client) is None


async def test_too_many_failures_throttle_even_the_right_password(console, db):
    client = await console.client()
    for _ in range(auth.MAX_LOGIN_FAILURES):
        assert (await login(client, "anna", "not the password")).status == 401
    answer = await login(client, "anna", PASSWORD)
    assert answer.status == 429
    retry_after = int(answer.headers["Retry-After"])
    assert 0 < retry_after <= auth.LOGIN_WINDOW.total_seconds()
    assert f"Try again in {retry_after} seconds" in await answer.text()
    assert set_cookie_header(answer, SESSION_COOKIE) is None
    assert session_cookie(client) is None
    assert audit_events(db, "login_throttled")


async def test_the_right_password_starts_a_strict_httponly_session(console, db):
    client = await console.client()
    answer = await login(client, "anna", PASSWORD)
    assert answer.status == 303 and answer.headers["Location"] == "/"
    header = set_cookie_header(answer, SESSION_COOKIE)
    assert header is not None
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in header.split(";")}
    assert "httponly" in attributes
    assert attributes["samesite"].lower() == "samesite=strict"
    assert attributes["path"] == "Path=/"
    assert "secure" not in attributes  # secure_cookies=False
    # The login CSRF cookie is dropped.
    assert set_cookie_header(answer, LOGIN_CSRF_COOKIE) is not None
    assert LOGIN_CSRF_COOKIE not in client.session.cookie_jar.filter_cookies(client.make_url("/"))

    page = await client.get("/", allow_redirects=False)
    assert page.status == 200
    assert "Anna" in await page.text() and "(counsellor)" in await page.text()
    # A logged-in visitor of /login goes to the queue.
    again = await client.get("/login", allow_redirects=False)
    assert again.status == 303 and again.headers["Location"] == "/"


async def test_the_session_cookie_is_secure_in_production(make_console, rasa_stub, db):
    server = TestServer(
        create_app(db.factory, RasaApi(rasa_stub.base_url, token="t"), secure_cookies=True),
        host="127.0.0.1",
    )
    await server.start_server()
    try:
        async with TestClient(server) as client:
            page = await client.get("/login")
            header = set_cookie_header(page, LOGIN_CSRF_COOKIE)
            assert "secure" in [p.strip().lower() for p in header.split(";")]
    finally:
        await server.close()


async def test_logout_ends_the_session(console, db):
    client, token = await console.counsellor("anna")
    old_cookie = session_cookie(client)
    assert old_cookie
    answer = await post(client, "/logout", {"csrf_token": token})
    assert answer.status == 303 and answer.headers["Location"] == "/login"
    assert session_cookie(client) is None
    with session_scope(db.factory) as session:
        assert session.execute(select(auth.ConsoleSession)).scalars().all() == []

    # Replaying the old cookie opens nothing.
    replay = await console.client()
    replay.session.cookie_jar.update_cookies({SESSION_COOKIE: old_cookie}, replay.make_url("/"))
    page = await replay.get("/", allow_redirects=False)
    assert page.status == 303 and page.headers["Location"] == "/login"


async def test_logout_needs_the_csrf_token(console, db):
    client, _ = await console.counsellor("anna")
    answer = await post(client, "/logout", {})
    assert answer.status == 403
    assert (await client.get("/", allow_redirects=False)).status == 200


# --- 5. exclusive take -----------------------------------------------------------------


async def test_two_counsellors_taking_at_once_exactly_one_wins(console, rasa_stub, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    answers = await asyncio.gather(
        post(anna, f"/handoffs/{waiting_id}/take", {"csrf_token": anna_token}),
        post(bram, f"/handoffs/{waiting_id}/take", {"csrf_token": bram_token}),
    )
    assert [a.status for a in answers] == [303, 303]
    locations = [a.headers["Location"] for a in answers]
    assert sorted(locations) == ["/?notice=taken_by_other", f"/handoffs/{waiting_id}"]
    winner = ("anna", "bram")[locations.index(f"/handoffs/{waiting_id}")]
    row = status_of(db, waiting_id)
    assert row.status == handoff.ACTIVE and row.counsellor_id == db.ids[winner]
    assert len(rasa_stub.syncs()) == 1
    assert len(audit_events(db, "handoff_taken")) == 1

    # The loser sees the notice.
    loser = bram if winner == "anna" else anna
    page = await loser.get("/?notice=taken_by_other")
    assert "Another counsellor took that conversation first." in await page.text()


# --- 6. replies ------------------------------------------------------------------------


async def test_the_holder_replies(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": "  Hello, I am Anna.  "},
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 200
    body = await answer.json()
    assert body == {"message_id": body["message_id"], "delivered": True}
    messages = handoff.conversation_messages(db.factory, waiting_id)
    assert [(m.id, m.direction, m.text) for m in messages] == [
        (body["message_id"], "counsellor", "Hello, I am Anna.")
    ]
    assert len(rasa_stub.syncs()) == 2  # take and reply

    # The plain form answers with a redirect to the conversation.
    form = await post(
        client, f"/handoffs/{waiting_id}/reply", {"text": "Second", "csrf_token": token}
    )
    assert form.status == 303 and form.headers["Location"] == f"/handoffs/{waiting_id}"
    assert [m.text for m in handoff.conversation_messages(db.factory, waiting_id)] == [
        "Hello, I am Anna.",
        "Second",
    ]


async def test_a_counsellor_who_does_not_hold_it_cannot_reply(console, rasa_stub, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    await take(anna, anna_token, waiting_id)
    syncs = len(rasa_stub.syncs())
    answer = await post(
        bram,
        f"/handoffs/{waiting_id}/reply",
        {"text": "I am not the holder"},
        headers={"Accept": "application/json", "X-CSRF-Token": bram_token},
    )
    assert answer.status == 409
    assert await answer.json() == {"error": "not_yours"}
    assert handoff.conversation_messages(db.factory, waiting_id) == []
    assert len(rasa_stub.syncs()) == syncs
    form = await post(
        bram, f"/handoffs/{waiting_id}/reply", {"text": "x", "csrf_token": bram_token}
    )
    assert form.status == 303 and form.headers["Location"] == "/?notice=not_yours"
    assert handoff.conversation_messages(db.factory, waiting_id) == []


async def test_nobody_replies_to_a_waiting_request(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": "too early"},
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 409
    assert handoff.conversation_messages(db.factory, waiting_id) == []


@pytest.mark.parametrize("text", ["", "   \n ", "x" * (handoff.MAX_MESSAGE_LENGTH + 1)])
async def test_an_empty_or_too_long_reply_is_400(console, db, waiting_id, text):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": text},
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 400
    assert await answer.json() == {"error": "empty_or_too_long"}
    assert handoff.conversation_messages(db.factory, waiting_id) == []


# --- 7. the conversation page and reveal -----------------------------------------------


async def test_the_conversation_page_masks_personal_data(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    page = await client.get(f"/handoffs/{waiting_id}")
    assert page.status == 200
    html = await page.text()
    assert CITIZEN_TEXT in html and BOT_TEXT in html  # the tracker's transcript
    assert NATIONAL_NUMBER not in html and PHONE not in html
    assert "•" * (len(NATIONAL_NUMBER) - 2) + NATIONAL_NUMBER[-2:] in html
    assert "•" * (len(PHONE) - 2) + PHONE[-2:] in html
    assert "Lotte" in html  # not a masked field
    assert 'data-field="national_number"' in html  # the holder may reveal
    assert rasa_stub.tracker_reads[-1] == (
        CONVERSATION,
        {"token": "t", "include_events": "AFTER_RESTART"},
    )

    # Another counsellor reads it masked too, without the reveal button or reply form.
    bram, _ = await console.counsellor("bram")
    other = await (await bram.get(f"/handoffs/{waiting_id}")).text()
    assert NATIONAL_NUMBER not in other and 'data-field="national_number"' not in other
    assert 'id="reply-form"' not in other

    fragment = await (await client.get(f"/handoffs/{waiting_id}/transcript")).text()
    assert CITIZEN_TEXT in fragment and NATIONAL_NUMBER not in fragment


async def test_an_unknown_conversation_page_is_404(console, db):
    client, _ = await console.counsellor("anna")
    assert (await client.get("/handoffs/12345")).status == 404
    assert (await client.get("/handoffs/nope")).status == 404


HUGE_ID = "9" * 20  # beyond a 64-bit integer


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/handoffs/{HUGE_ID}"),
        ("GET", f"/handoffs/{HUGE_ID}/transcript"),
        ("POST", f"/handoffs/{HUGE_ID}/take"),
    ],
)
async def test_an_out_of_range_conversation_id_is_404(console, db, method, path):
    client, token = await console.counsellor("anna")
    if method == "GET":
        answer = await client.get(path, allow_redirects=False)
    else:
        answer = await post(client, path, {"csrf_token": token})
    assert answer.status == 404


async def test_the_holder_reveals_a_field_and_it_is_audited(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reveal",
        {"field": "national_number", "csrf_token": token},
    )
    assert answer.status == 200
    assert await answer.json() == {
        "field": "national_number",
        "label": "National register number",
        "value": NATIONAL_NUMBER,
    }
    events = audit_events(db, "personal_data_revealed")
    assert len(events) == 1
    event = events[0]
    assert event.actor == f"counsellor:{db.ids['anna']}"
    assert event.conversation_id == CONVERSATION
    assert json.loads(event.detail) == {"field": "national_number", "request_id": waiting_id}
    assert NATIONAL_NUMBER not in event.detail


async def test_a_non_holder_cannot_reveal(console, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    # Nobody holds it yet: refused.
    answer = await post(
        bram, f"/handoffs/{waiting_id}/reveal", {"field": "phone", "csrf_token": bram_token}
    )
    assert answer.status == 403
    await take(anna, anna_token, waiting_id)
    answer = await post(
        bram,
        f"/handoffs/{waiting_id}/reveal",
        {"field": "national_number", "csrf_token": bram_token},
    )
    assert answer.status == 403
    body = await answer.text()
    assert await answer.json() == {"error": "not_yours"}
    assert NATIONAL_NUMBER not in body
    assert audit_events(db, "personal_data_revealed") == []


@pytest.mark.parametrize("field", ["", "given_name", "password_hash", "national_number "])
async def test_revealing_an_unknown_field_is_400(console, db, waiting_id, field):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/reveal", {"field": field, "csrf_token": token}
    )
    assert answer.status == 400
    assert await answer.json() == {"error": "unknown_field"}
    assert audit_events(db, "personal_data_revealed") == []


async def test_revealing_an_empty_slot_is_404(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/reveal", {"field": "email", "csrf_token": token}
    )
    assert answer.status == 404
    assert audit_events(db, "personal_data_revealed") == []


# --- 8. hand back and close ------------------------------------------------------------


async def test_the_holder_hands_back(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(client, f"/handoffs/{waiting_id}/hand-back", {"csrf_token": token})
    assert answer.status == 303 and answer.headers["Location"] == "/?notice=handed_back"
    row = status_of(db, waiting_id)
    assert row.status == handoff.HANDED_BACK and row.closed_at is not None
    assert len(rasa_stub.syncs()) == 2  # take and hand-back
    # Once handed back it is nobody's: a second hand-back is refused without a sync.
    again = await post(client, f"/handoffs/{waiting_id}/hand-back", {"csrf_token": token})
    assert again.headers["Location"] == "/?notice=not_yours"
    assert len(rasa_stub.syncs()) == 2


async def test_a_non_holder_cannot_hand_back_or_close(console, rasa_stub, db, waiting_id):
    anna, anna_token = await console.counsellor("anna")
    bram, bram_token = await console.counsellor("bram")
    await take(anna, anna_token, waiting_id)
    for route, data in (("hand-back", {}), ("close", {"outcome": "resolved"})):
        answer = await post(
            bram, f"/handoffs/{waiting_id}/{route}", {**data, "csrf_token": bram_token}
        )
        assert answer.status == 303 and answer.headers["Location"] == "/?notice=not_yours"
    row = status_of(db, waiting_id)
    assert row.status == handoff.ACTIVE and row.counsellor_id == db.ids["anna"]
    assert len(rasa_stub.syncs()) == 1


async def test_the_holder_closes_with_an_outcome(console, rasa_stub, db, waiting_id):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/close", {"outcome": "resolved", "csrf_token": token}
    )
    assert answer.status == 303 and answer.headers["Location"] == "/?notice=closed"
    row = status_of(db, waiting_id)
    assert row.status == handoff.CLOSED and row.outcome == "resolved"
    assert row.closed_at is not None
    assert len(rasa_stub.syncs()) == 2
    [event] = audit_events(db, "handoff_closed")
    assert json.loads(event.detail) == {"outcome": "resolved", "request_id": waiting_id}


@pytest.mark.parametrize("outcome", ["", "solved", "RESOLVED"])
async def test_closing_with_an_invalid_outcome_is_400(console, rasa_stub, db, waiting_id, outcome):
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    answer = await post(
        client, f"/handoffs/{waiting_id}/close", {"outcome": outcome, "csrf_token": token}
    )
    assert answer.status == 400
    row = status_of(db, waiting_id)
    assert row.status == handoff.ACTIVE and row.outcome is None
    assert len(rasa_stub.syncs()) == 1


# --- 9. security headers ---------------------------------------------------------------


def assert_security_headers(answer, *, page: bool = True) -> None:
    csp = answer.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    if page:
        assert answer.headers["Cache-Control"] == "no-store"


def assert_no_inline_code(html: str) -> None:
    """The CSP forbids inline scripts and styles: the pages must not need them."""
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


async def test_security_headers_on_pages_redirects_and_errors(console, db, waiting_id):
    client = await console.client()
    login_page = await client.get("/login")
    assert_security_headers(login_page)
    assert_no_inline_code(await login_page.text())
    assert_security_headers(await client.get("/", allow_redirects=False))  # 303
    assert_security_headers(await post(client, "/logout"))  # 401

    token = await logged_in(client, "anna")
    queue = await client.get("/")
    assert_security_headers(queue)
    assert_no_inline_code(await queue.text())
    await take(client, token, waiting_id)
    conversation = await client.get(f"/handoffs/{waiting_id}")
    assert_security_headers(conversation)
    assert_no_inline_code(await conversation.text())
    assert_security_headers(await client.get("/handoffs/999"))  # 404
    assert_security_headers(await post(client, f"/handoffs/{waiting_id}/take"))  # 403

    static = await client.get("/static/console.js")
    assert static.status == 200
    assert_security_headers(static, page=False)


# --- 10. Rasa down ---------------------------------------------------------------------


async def test_the_console_works_while_rasa_is_down(make_console, db, waiting_id):
    console = await make_console(RasaApi(f"http://127.0.0.1:{closed_port()}", token="t"))
    client, token = await console.counsellor("anna")
    await take(client, token, waiting_id)
    assert status_of(db, waiting_id).status == handoff.ACTIVE

    page = await client.get(f"/handoffs/{waiting_id}")
    assert page.status == 200
    assert "The assistant cannot be reached now." in await page.text()

    answer = await post(
        client,
        f"/handoffs/{waiting_id}/reply",
        {"text": "Are you still there?"},
        headers={"Accept": "application/json", "X-CSRF-Token": token},
    )
    assert answer.status == 200
    body = await answer.json()
    assert body["delivered"] is False and isinstance(body["message_id"], int)
    [message] = handoff.conversation_messages(db.factory, waiting_id)
    assert (message.id, message.text, message.delivered_at) == (
        body["message_id"],
        "Are you still there?",
        None,
    )
    # The undelivered reply shows as pending on the page.
    page = await client.get(f"/handoffs/{waiting_id}")
    assert "sending…" in await page.text() and "Are you still there?" in await page.text()

    reveal = await post(
        client, f"/handoffs/{waiting_id}/reveal", {"field": "phone", "csrf_token": token}
    )
    assert reveal.status == 503
    assert audit_events(db, "personal_data_revealed") == []


# --- the queue -------------------------------------------------------------------------


async def test_the_queue_lists_waiting_and_held_conversations(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    queue = await (await client.get("/queue")).text()
    assert f'data-handoff="{waiting_id}"' in queue and "asked for a person" in queue
    assert "You hold no conversation." in queue
    await take(client, token, waiting_id)
    queue = await (await client.get("/queue")).text()
    assert "Nobody is waiting." in queue
    assert f'href="/handoffs/{waiting_id}">Conversation {waiting_id}</a>' in queue


async def test_the_live_event_stream_opens_for_a_counsellor(console, db, waiting_id):
    client, _ = await console.counsellor("anna")
    answer = await client.get(f"/events?handoff={waiting_id}")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/event-stream")
    first = await asyncio.wait_for(answer.content.readuntil(b"\n\n"), timeout=5)
    assert first == b": keep-alive\n\n"
    answer.close()

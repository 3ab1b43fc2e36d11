"""Logging in and out of the console over HTTP: the login form's CSRF, throttle, cookies."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.accounts import login as accounts_login
from bot.accounts.models import ConsoleSession
from bot.console.app import create_app
from bot.console.rasa_api import RasaApi
from bot.console.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from bot.db import session_scope
from tests.unit.console.helpers import (
    CSRF_INPUT,
    PASSWORD,
    audit_events,
    login,
    post,
    session_cookie,
    set_cookie_header,
)


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
    for _ in range(accounts_login.MAX_LOGIN_FAILURES):
        assert (await login(client, "anna", "not the password")).status == 401
    answer = await login(client, "anna", PASSWORD)
    assert answer.status == 429
    retry_after = int(answer.headers["Retry-After"])
    assert 0 < retry_after <= accounts_login.LOGIN_WINDOW.total_seconds()
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
        assert session.execute(select(ConsoleSession)).scalars().all() == []

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

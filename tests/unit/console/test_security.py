"""The console's guards over HTTP: anonymous visitors, roles, CSRF, security headers."""

from __future__ import annotations

import json
import re

import pytest

from bot.console.rasa_api import SYNC_ACTION
from bot.console.security import SESSION_COOKIE
from bot.handoff import messages, models
from bot.handoff.audit import ACCESS_REFUSED
from tests.unit.console.helpers import (
    CONVERSATION,
    PASSWORD,
    audit_events,
    logged_in,
    post,
    session_cookie,
    status_of,
    take,
)

# --- anonymous visitors ----------------------------------------------------------------


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
    assert status_of(db, waiting_id).status == models.WAITING
    assert messages.conversation_messages(db.factory, waiting_id) == []
    assert rasa_stub.executes == []


async def test_a_forged_session_cookie_is_anonymous(console, waiting_id):
    client = await console.client()
    client.session.cookie_jar.update_cookies(
        {SESSION_COOKIE: "not-a-real-session"}, client.make_url("/")
    )
    answer = await client.get("/", allow_redirects=False)
    assert answer.status == 303 and answer.headers["Location"] == "/login"


# --- the wrong role -----------------------------------------------------------------


@pytest.mark.parametrize("route", GET_ROUTES)
async def test_a_trainer_cannot_open_counsellor_pages_and_it_is_audited(
    console, db, waiting_id, route
):
    client, _ = await console.counsellor("tom")  # refused the queue the login lands on
    answer = await client.get(route.format(id=waiting_id), allow_redirects=False)
    assert answer.status == 403
    assert "Not allowed" in await answer.text()
    *_, refusal = audit_events(db, ACCESS_REFUSED)
    assert refusal.actor == f"counsellor:{db.ids['tom']}"
    detail = json.loads(refusal.detail)
    assert detail["attempted"] == f"GET {route}" and detail["reason"] == "role"
    assert detail["role"] == "trainer"
    if "{id}" in route:
        assert refusal.conversation_id == CONVERSATION and detail["request_id"] == waiting_id
    else:
        assert refusal.conversation_id is None and "request_id" not in detail


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
    assert messages.conversation_messages(db.factory, waiting_id) == []
    assert audit_events(db, "personal_data_revealed") == []
    assert len(rasa_stub.syncs()) == syncs_before

    # The same token is good: the trainer may log out with it, so the 403 was the role.
    out = await post(client, "/logout", {"csrf_token": token})
    assert out.status == 303 and out.headers["Location"] == "/login"


# --- CSRF ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", [{}, {"csrf_token": ""}, {"csrf_token": "wrong-token"}], ids=["none", "empty", "wrong"]
)
async def test_take_without_the_right_csrf_token_is_refused(
    console, rasa_stub, db, waiting_id, bad
):
    client, _ = await console.counsellor("anna")
    answer = await post(client, f"/handoffs/{waiting_id}/take", bad)
    assert answer.status == 403
    assert status_of(db, waiting_id).status == models.WAITING
    assert status_of(db, waiting_id).counsellor_id is None
    assert rasa_stub.executes == []


async def test_a_wrong_csrf_header_is_refused(console, db, waiting_id):
    client, token = await console.counsellor("anna")
    answer = await post(
        client, f"/handoffs/{waiting_id}/take", headers={"X-CSRF-Token": token[:-1] + "x"}
    )
    assert answer.status == 403
    assert status_of(db, waiting_id).status == models.WAITING


async def test_another_sessions_csrf_token_is_refused(console, db, waiting_id):
    anna, _ = await console.counsellor("anna")
    _, bram_token = await console.counsellor("bram")
    answer = await post(anna, f"/handoffs/{waiting_id}/take", {"csrf_token": bram_token})
    assert answer.status == 403
    assert status_of(db, waiting_id).status == models.WAITING


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
    assert row.status == models.ACTIVE and row.counsellor_id == db.ids["anna"]
    assert rasa_stub.executes == [
        (
            CONVERSATION,
            {"name": SYNC_ACTION, "policy": "console", "confidence": 1.0},
            {"output_channel": "latest"},
        )
    ]
    assert rasa_stub.refused == []


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
    assert status_of(db, waiting_id).status == models.WAITING


# --- security headers ---------------------------------------------------------------


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

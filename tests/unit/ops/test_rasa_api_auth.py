"""Rasa's HTTP API takes its token in the Authorization header, never in the URL."""

from __future__ import annotations

import aiohttp
import jwt
import pytest
from rasa import server

from bot.ops.http_errors import install_plain_errors
from bot.ops.rasa_api_auth import JWT_METHOD, install_api_token_header, jwt_secret_for
from tests.support import serve_app

TOKEN = "the-api-token"


@pytest.fixture
async def rasa_api():
    # Rasa's own app, configured as bot/ops/rasa_server.py does (no model loaded: an
    # authorised call to /status gets 409 "no agent", an unauthorised one 401).
    app = server.create_app(
        agent=None,
        auth_token=None,
        jwt_secret=jwt_secret_for(TOKEN),
        jwt_method=JWT_METHOD,
    )
    install_api_token_header(app, TOKEN)
    install_plain_errors(app)
    async with serve_app(app) as base_url, aiohttp.ClientSession() as session:
        yield base_url, session


async def status(rasa_api, path="/status", headers=None) -> int:
    base_url, session = rasa_api
    async with session.get(f"{base_url}{path}", headers=headers or {}) as answer:
        return answer.status


async def test_the_token_in_the_header_opens_the_api(rasa_api):
    assert await status(rasa_api, headers={"Authorization": f"Bearer {TOKEN}"}) == 409


async def test_no_token_or_a_wrong_one_is_refused(rasa_api):
    assert await status(rasa_api) == 401
    assert await status(rasa_api, headers={"Authorization": "Bearer nope"}) == 401
    assert await status(rasa_api, headers={"Authorization": f"Basic {TOKEN}"}) in (400, 401)


async def test_the_token_in_the_url_is_refused_even_when_right(rasa_api):
    assert await status(rasa_api, path=f"/status?token={TOKEN}") == 401
    assert await status(rasa_api, path=f"/conversations/rest:x/tracker?token={TOKEN}") == 401


async def test_a_jwt_signed_with_another_secret_is_refused(rasa_api):
    forged = jwt.encode(
        {"user": {"username": "x", "role": "admin"}},
        "another-secret-of-at-least-32-bytes!",
        JWT_METHOD,
    )
    assert await status(rasa_api, headers={"Authorization": f"Bearer {forged}"}) == 401


async def test_open_pages_stay_open(rasa_api):
    assert await status(rasa_api, path="/") == 200
    assert await status(rasa_api, path="/version") == 200


@pytest.mark.parametrize(
    ("method", "path", "accept", "expected"),
    [
        ("PUT", "/model/parse", "9" * 60, 405),
        ("PATCH", "/version/1e3", "Bearer x", 404),
        ("GET", "/no/such/page", "+AtqbG/inform{}5K|?4`W.nan..", 404),
        ("PUT", "/status", "application/json", 405),
    ],
)
async def test_errors_are_plain_json_whatever_the_accept_header(
    rasa_api, method, path, accept, expected
):
    # Sanic alone answers these "500 An error occurred while handling an error".
    base_url, session = rasa_api
    async with session.request(method, f"{base_url}{path}", headers={"Accept": accept}) as answer:
        assert answer.status == expected
        body = await answer.json(content_type=None)
    assert set(body) == {"error"} and path not in body["error"]

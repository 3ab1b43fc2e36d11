"""POST /oauth/token: OAuth2 client credentials -> a bearer token for the API."""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import time
from urllib.parse import unquote_plus

from aiohttp import web

from bot.sandbox.responses import error, json_response
from bot.sandbox.state import SandboxState, state_of

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    # RFC 6749 2.3.1: both parts are form-urlencoded before the Basic encoding.
    return unquote_plus(client_id), unquote_plus(secret)


async def _form(request: web.Request) -> dict:
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = None
        return body if isinstance(body, dict) else {}
    if request.can_read_body:
        return dict(await request.post())
    return {}


def _is_our_client(state: SandboxState, client_id: str, secret: str) -> bool:
    # Both comparisons always run (`&`, not `and`): the time says nothing about which failed.
    return hmac.compare_digest(client_id.encode(), state.client_id.encode()) & hmac.compare_digest(
        secret.encode(), state.client_secret.encode()
    )


def _issue(state: SandboxState) -> str:
    now = time.monotonic()
    for expired in [t for t, expiry in state.tokens.items() if expiry <= now]:
        del state.tokens[expired]
    token = secrets.token_urlsafe(32)
    state.tokens[token] = now + state.token_lifetime_seconds
    state.counters["tokens_issued"] += 1
    return token


async def oauth_token(request: web.Request) -> web.Response:
    state = state_of(request)
    form = await _form(request)
    grant_type = form.get("grant_type")
    if grant_type != "client_credentials":
        code = "invalid_request" if not grant_type else "unsupported_grant_type"
        return error(400, code, "grant_type must be client_credentials", headers=NO_STORE)
    credentials = basic_credentials(request.headers.get("Authorization", ""))
    if credentials is None:
        credentials = (str(form.get("client_id", "")), str(form.get("client_secret", "")))
    if not _is_our_client(state, *credentials):
        return error(
            401,
            "invalid_client",
            "unknown client or wrong secret",
            headers={**NO_STORE, "WWW-Authenticate": 'Basic realm="agency-sandbox"'},
        )
    return json_response(
        {
            "access_token": _issue(state),
            # bandit B105: The OAuth2 token type, not a secret.
            "token_type": "Bearer",  # nosec B105
            "expires_in": state.token_lifetime_seconds,
        },
        headers=NO_STORE,
    )

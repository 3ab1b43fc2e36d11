"""The Rasa server's API token travels in a header, never in a URL.

Stock Rasa 3.6 checks its API token in the query string (`?token=...`), where proxies,
browsers and access logs keep it. This module closes that door and opens a header
instead, using Rasa's own JWT support underneath:

- the server is started without `auth_token` and with a JWT secret derived from the
  API token (`jwt_secret_for`), so Rasa's `requires_auth` accepts only valid JWTs;
- a request middleware refuses any request that carries `token` in its query string,
  and turns `Authorization: Bearer <API token>` into a JWT with the admin role that
  Rasa then accepts. A JWT signed with the derived secret works as well.

Tested in tests/unit/ops/test_rasa_api_auth.py.
"""

from __future__ import annotations

import hashlib
import hmac

import jwt
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.network import bearer_token

JWT_METHOD = "HS256"
ADMIN_CLAIMS = {"user": {"username": "api", "role": "admin"}}


def jwt_secret_for(api_token: str) -> str:
    """The JWT secret that goes with `api_token` (never the token itself)."""
    return hmac.new(api_token.encode(), b"rasa-api-jwt", hashlib.sha256).hexdigest()


def install_api_token_header(app: Sanic, api_token: str) -> None:
    """Register the middleware described above on Rasa's Sanic app."""
    admin_jwt = jwt.encode(ADMIN_CLAIMS, jwt_secret_for(api_token), algorithm=JWT_METHOD)
    expected = api_token.encode()

    async def api_token_header(request: Request) -> HTTPResponse | None:
        if "token" in request.args:
            return response.json(
                {"error": "send the API token in the header 'Authorization: Bearer <token>'"},
                status=401,
            )
        provided = bearer_token(request.headers.get("authorization"))
        if provided and hmac.compare_digest(provided.encode(), expected):
            request.headers["authorization"] = f"Bearer {admin_jwt}"
        return None

    app.register_middleware(api_token_header, "request")

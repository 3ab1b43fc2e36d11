"""The action server answers Rasa only: a shared secret in the Authorization header.

Rasa sends it with every call when its endpoints file says so:

    action_endpoint:
      url: "${ACTION_SERVER_URL}/webhook"
      headers:
        Authorization: "Bearer ${ACTION_SERVER_SECRET}"

The secret is required whenever the action server is reachable from elsewhere than this
machine (it binds another address than loopback), in production, and whenever one is
configured. `/health` stays open for load balancers.
"""

from __future__ import annotations

import hmac

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.network import is_loopback
from bot.secret_values import read_secret
from bot.settings import Settings

# bandit B105: The name of a setting or header, not a secret.
SECRET_NAME = "ACTION_SERVER_SECRET"  # nosec B105
OPEN_PATHS = ("/health",)


def action_server_secret(settings: Settings, host: str) -> str:
    """The secret Rasa must send; "" when none is needed (loopback, local, unset).

    Raises MissingSecret in production, or when listening beyond loopback, if unset.
    """
    must_have = settings.production or not is_loopback(host)
    return read_secret(SECRET_NAME, settings.var_dir, production=must_have, generate=False)


def install_shared_secret(app: Sanic, secret: str) -> None:
    """Refuse every request but /health that does not carry `Bearer <secret>`."""
    expected = f"Bearer {secret}".encode()

    async def require_secret(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        provided = (request.headers.get("authorization") or "").strip().encode()
        if hmac.compare_digest(provided, expected):
            return None
        return response.json({"error": "unauthorised"}, status=401)

    app.register_middleware(require_secret, "request")

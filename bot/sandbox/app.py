"""The agency sandbox: an aiohttp.web stand-in for the employment agency's API.

`create_app` only wires: the database, the in-memory state, the middlewares and the
routes (see `bot.sandbox.routes` for the contract the outside checks use).
"""

from __future__ import annotations

from aiohttp import web

from bot.db import make_engine, make_session_factory
from bot.sandbox.middlewares import bearer_auth, errors_as_json, fault_injection
from bot.sandbox.models import SandboxBase
from bot.sandbox.routes import setup_routes
from bot.sandbox.state import DEFAULT_TOKEN_LIFETIME_SECONDS, STATE, SandboxState


def create_app(
    database_url: str,
    client_id: str,
    client_secret: str,
    *,
    token_lifetime_seconds: int = DEFAULT_TOKEN_LIFETIME_SECONDS,
) -> web.Application:
    """The sandbox application; creates its tables in `database_url` right away."""
    engine = make_engine(database_url)
    SandboxBase.metadata.create_all(engine)
    app = web.Application(middlewares=[errors_as_json, fault_injection, bearer_auth])
    app[STATE] = SandboxState(
        session_factory=make_session_factory(engine),
        client_id=client_id,
        client_secret=client_secret,
        token_lifetime_seconds=int(token_lifetime_seconds),
    )

    async def _dispose(_app: web.Application) -> None:
        engine.dispose()

    app.on_cleanup.append(_dispose)
    setup_routes(app)
    return app

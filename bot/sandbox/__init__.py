"""A local stand-in for the employment agency's API (tests, demos, `make run`).

`python -m bot.sandbox [--port N] [--database-url URL]` serves it.

    app.py          create_app(): wires the database, state, middlewares and routes
    routes.py       the URL table (the agency's contract plus /_sandbox test controls)
    middlewares.py  JSON errors, fault injection, bearer authentication
    views/          token (OAuth2), submissions, reads, controls
    idempotency.py  one effect per Idempotency-Key, its first answer replayed
    queries.py      the queries on the sandbox's tables
    models.py       those tables (the sandbox's own database)
    validation.py   request bodies checked and normalised
    offices.py      synthetic office data
    state.py        in-memory state: tokens, injected faults, counters
    responses.py    JSON answers and errors, request bodies, times
"""

from bot.sandbox.app import create_app
from bot.sandbox.state import DEFAULT_TOKEN_LIFETIME_SECONDS

__all__ = ["DEFAULT_TOKEN_LIFETIME_SECONDS", "create_app"]

"""A local stand-in for the employment agency's API (tests, demos, `make run`).

`python -m bot.agency_sandbox [--port N] [--database-url URL]` serves it.
"""

from bot.agency_sandbox.app import DEFAULT_TOKEN_LIFETIME_SECONDS, create_app

__all__ = ["DEFAULT_TOKEN_LIFETIME_SECONDS", "create_app"]

"""`python -m bot.console serve`: run the counsellors' console (default port 5006).

It listens on the setting `bind_host` (ASSISTANT_BIND_HOST, 127.0.0.1 unless configured)
or on `--host`; never on every interface by default.
"""

from __future__ import annotations

from aiohttp import web

from bot.console.app import create_app
from bot.console.rasa_api import RasaApi
from bot.db import make_engine, make_session_factory
from bot.logging_setup import configure_logging
from bot.migrations import upgrade_database
from bot.settings import load_settings


def serve(host: str | None = None, port: int | None = None) -> None:
    settings = load_settings()
    configure_logging("console")
    upgrade_database(settings.database_url)
    factory = make_session_factory(make_engine(settings.database_url))
    rasa = RasaApi(settings.rasa_url, settings.rasa_api_token)
    app = create_app(factory, rasa, secure_cookies=settings.console_secure_cookies)
    web.run_app(
        app,
        host=host or settings.bind_host,
        port=port or settings.console_port,
        access_log=None,
        print=None,
    )

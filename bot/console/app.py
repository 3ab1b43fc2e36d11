"""The console's aiohttp application: wires the settings, middlewares, routes and tasks.

An aiohttp application next to the Rasa server (`python -m bot.console serve`). Handoff
state lives in the database (bot.handoff), so any number of console and Rasa instances
share it. Pages work without JavaScript (plain forms, redirects); console.js adds live
updates through server-sent events and sends replies without reloading.

Security (bot.console.security, bot.accounts): scrypt password hashes, session cookie
(HttpOnly, SameSite=Strict, Secure in production), a CSRF token on every POST (form field
or X-CSRF-Token header), login throttling per username and per IP, role checks on every
route, a strict CSP.
"""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.orm import sessionmaker

from bot.console.keys import FACTORY, RASA, SECURE, TEMPLATES
from bot.console.rasa_api import RasaApi
from bot.console.render import templates
from bot.console.retry import start_retry, stop_retry
from bot.console.routes import setup_routes
from bot.console.security import load_viewer, security_headers


def create_app(
    factory: sessionmaker, rasa: RasaApi, secure_cookies: bool = False
) -> web.Application:
    app = web.Application(middlewares=[security_headers, load_viewer], client_max_size=64 * 1024)
    app[FACTORY] = factory
    app[RASA] = rasa
    app[SECURE] = secure_cookies
    app[TEMPLATES] = templates()
    setup_routes(app)

    async def close_rasa(app: web.Application) -> None:
        await rasa.close()

    app.on_startup.append(start_retry)
    app.on_cleanup.append(stop_retry)
    app.on_cleanup.append(close_rasa)
    return app

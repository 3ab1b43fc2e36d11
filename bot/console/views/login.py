"""GET/POST /login and POST /logout.

The login form is protected by its own CSRF token, kept in a short-lived cookie (there
is no session yet); a good login starts a session whose token goes into the session
cookie. Throttling (per username and per IP) is bot.accounts.login's.
"""

from __future__ import annotations

import asyncio
import secrets

from aiohttp import web

from bot.accounts.errors import LoginThrottled
from bot.accounts.login import authenticate
from bot.accounts.passwords import MAX_PASSWORD_LENGTH
from bot.accounts.roles import ROLES
from bot.accounts.sessions import SESSION_TTL, end_session, start_session, tokens_match
from bot.console.forms import form_of
from bot.console.keys import factory_of
from bot.console.render import render
from bot.console.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, require, set_cookie


async def login_page(request: web.Request) -> web.Response:
    if request.get("viewer"):
        raise web.HTTPSeeOther("/")
    return _login_form(request)


def _login_form(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", status=status, login_csrf=token, error=error)
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


async def login_submit(request: web.Request) -> web.Response:
    form = await form_of(request)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    supplied = str(form.get("csrf_token", ""))
    if not cookie or not tokens_match(cookie, supplied):
        raise web.HTTPForbidden(text="The login form was too old. Reload the page.")
    username = str(form.get("username", ""))[:128]
    password = str(form.get("password", ""))[:MAX_PASSWORD_LENGTH]
    factory = factory_of(request)
    client_ip = request.remote or ""
    try:
        user = await asyncio.to_thread(authenticate, factory, username, password, client_ip)
    except LoginThrottled as throttled:
        response = _login_form(
            request,
            f"Too many failed attempts. Try again in {throttled.retry_after_seconds} seconds.",
            status=429,
        )
        response.headers["Retry-After"] = str(throttled.retry_after_seconds)
        return response
    if user is None:
        return _login_form(request, "Wrong username or password.", status=401)
    token, _ = await asyncio.to_thread(start_session, factory, user.id)
    response = web.HTTPSeeOther("/")
    set_cookie(response, request, SESSION_COOKIE, token, max_age=int(SESSION_TTL.total_seconds()))
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


@require(*ROLES)
async def logout(request: web.Request) -> web.Response:
    await asyncio.to_thread(end_session, factory_of(request), request["viewer"].session_token)
    response = web.HTTPSeeOther("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response

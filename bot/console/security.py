"""The console's guards: security headers, who is logged in, roles and CSRF on routes.

Session cookie: HttpOnly, SameSite=Strict, Secure in production. Every POST carries the
session's CSRF token (form field `csrf_token` or header X-CSRF-Token); the login form,
made before any session, carries a token that must match its own cookie. The checks
themselves are bot.accounts' (`load_session`, `require_role`, `check_csrf`). A refusal for
the role is written to the audit trail.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

from bot.accounts.errors import PermissionDenied
from bot.accounts.models import ConsoleSession, User
from bot.accounts.roles import require_role
from bot.accounts.sessions import check_csrf, csrf_token_for, load_session
from bot.console.forms import form_of
from bot.console.keys import SECURE, factory_of
from bot.console.render import render, wants_json
from bot.console.views.common import parse_id
from bot.handoff.audit import ACCESS_REFUSED, record_console_event

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Viewer:
    """The logged-in user of a request: its user and session as loaded (detached rows)."""

    user: User
    console_session: ConsoleSession
    session_token: str

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def display_name(self) -> str:
        return self.user.display_name or self.user.username

    @property
    def csrf_token(self) -> str:
        return csrf_token_for(self.console_session)


def set_cookie(
    response: web.StreamResponse, request: web.Request, name: str, value: str, **kw
) -> None:
    """A cookie scripts cannot read, sent to this site only (and only over TLS in production)."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="Strict",
        secure=request.app[SECURE],
        path="/",
        **kw,
    )


# --- middlewares -----------------------------------------------------------------------


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        response = error
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    if isinstance(response, web.HTTPException):
        raise response
    return response


@web.middleware
async def load_viewer(request: web.Request, handler: Handler) -> web.StreamResponse:
    """`request["viewer"]` for a live session cookie (unknown or expired: anonymous)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    loaded = await asyncio.to_thread(load_session, factory_of(request), token) if token else None
    if loaded is not None:
        console_session, user = loaded
        request["viewer"] = Viewer(user, console_session, token)
    return await handler(request)


# --- per route -------------------------------------------------------------------------


async def supplied_csrf(request: web.Request) -> str | None:
    """The CSRF token the request carries: the X-CSRF-Token header, else the form field."""
    supplied = request.headers.get("X-CSRF-Token")
    if not supplied and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        supplied = (await form_of(request)).get("csrf_token")
    return supplied


async def _audit_role_refusal(request: web.Request, viewer: Viewer) -> None:
    route = request.match_info.route.resource
    await asyncio.to_thread(
        record_console_event,
        factory_of(request),
        viewer.id,
        ACCESS_REFUSED,
        parse_id(request.match_info.get("id", "")),
        attempted=f"{request.method} {route.canonical if route else request.path}",
        reason="role",
        role=viewer.role,
    )


def require(*roles: str) -> Callable[[Handler], Handler]:
    """Route decorator: the viewer must be logged in with one of `roles`; POSTs need CSRF."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def wrapped(request: web.Request) -> web.StreamResponse:
            viewer: Viewer | None = request.get("viewer")
            if viewer is None:
                if request.method == "GET" and not wants_json(request):
                    raise web.HTTPSeeOther("/login")
                raise web.HTTPUnauthorized(text="Please log in.")
            try:
                require_role(viewer.user, *roles)
            except PermissionDenied:
                await _audit_role_refusal(request, viewer)
                return render(request, "forbidden.html", status=403)
            if request.method == "POST" and not check_csrf(
                viewer.console_session, await supplied_csrf(request)
            ):
                raise web.HTTPForbidden(text="The form was too old or not ours. Reload the page.")
            return await handler(request)

        return wrapped

    return decorate

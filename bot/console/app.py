"""The counsellors' console: log in, see the queue, take a conversation, answer, hand back.

An aiohttp application next to the Rasa server (`python -m bot.console serve`). Handoff
state lives in the database (bot.handoff), so any number of console and Rasa instances
share it. Pages work without JavaScript (plain forms, redirects); console.js adds live
updates through server-sent events and sends replies without reloading.

Security: scrypt password hashes, session cookie (HttpOnly, SameSite=Strict, Secure in
production), a CSRF token on every POST (form field or X-CSRF-Token header), login
throttling per username and per IP, role checks on every route, a strict CSP.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot import handoff
from bot.audit import record_audit_event
from bot.console import auth
from bot.console.rasa_api import RasaApi, RasaUnavailable
from bot.console.transcript import COLLECTED_FIELDS, MASKED_FIELDS, collected, transcript
from bot.db import session_scope
from bot.i18n.catalog import get_catalog

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
COUNSELLOR_ROLES = handoff.COUNSELLOR_ROLES
CANNED_KEYS = (
    "canned_greeting",
    "canned_checking",
    "canned_more_info",
    "canned_office",
    "canned_hand_back",
    "canned_goodbye",
)
OUTCOME_LABELS = {
    "resolved": "Resolved",
    "referred": "Referred to an office",
    "no_answer": "Citizen did not answer",
    "other": "Other",
}
REASON_LABELS = {
    "asked": "asked for a person",
    "misunderstood": "not understood twice",
    "agency_rejected": "agency refused a request",
    "already_registered": "already registered, other details",
}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
SSE_POLL_SECONDS = 1.0
SYNC_RETRY_SECONDS = 5.0

FACTORY = web.AppKey("factory", sessionmaker)
RASA = web.AppKey("rasa", RasaApi)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
SECURE = web.AppKey("secure", bool)
RETRY_TASK = web.AppKey("retry_task", asyncio.Task)


@dataclass(frozen=True)
class Viewer:
    """The logged-in user of a request (a detached copy: no lazy loading later)."""

    id: int
    username: str
    role: str
    display_name: str
    csrf_token: str
    session_token: str


# --- helpers ---------------------------------------------------------------------------


def _render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    template = request.app[TEMPLATES].get_template(name)
    viewer: Viewer | None = request.get("viewer")
    body = template.render(viewer=viewer, csrf_token=viewer.csrf_token if viewer else "", **context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def _wants_json(request: web.Request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _client_ip(request: web.Request) -> str:
    return request.remote or ""


def _factory(request: web.Request) -> sessionmaker:
    return request.app[FACTORY]


def _minutes(seconds: int) -> str:
    minutes = seconds // 60
    return "under a minute" if minutes < 1 else f"{minutes} min"


def _set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, **kw):
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
async def security_headers(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
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
async def load_viewer(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    token = request.cookies.get(SESSION_COOKIE, "")
    loaded = await asyncio.to_thread(auth.load_session, _factory(request), token) if token else None
    if loaded is not None:
        console_session, user = loaded
        request["viewer"] = Viewer(
            user.id,
            user.username,
            user.role,
            user.display_name or user.username,
            console_session.csrf_token,
            token,
        )
    return await handler(request)


def require(*roles: str):
    """Route decorator: the viewer must be logged in with one of `roles`; POSTs need CSRF."""

    def decorate(handler):
        async def wrapped(request: web.Request) -> web.StreamResponse:
            viewer: Viewer | None = request.get("viewer")
            if viewer is None:
                if request.method == "GET" and not _wants_json(request):
                    raise web.HTTPSeeOther("/login")
                raise web.HTTPUnauthorized(text="Please log in.")
            if viewer.role not in roles:
                return _render(request, "forbidden.html", status=403)
            if request.method == "POST" and not await _csrf_ok(request, viewer.csrf_token):
                raise web.HTTPForbidden(text="The form was too old or not ours. Reload the page.")
            return await handler(request)

        wrapped.__name__ = handler.__name__
        return wrapped

    return decorate


async def _csrf_ok(request: web.Request, expected: str) -> bool:
    supplied = request.headers.get("X-CSRF-Token")
    if not supplied and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        supplied = (await request.post()).get("csrf_token")
    return bool(supplied) and same_token(str(supplied), expected)


def same_token(supplied: str, expected: str) -> bool:
    """Constant-time comparison that also refuses non-ASCII input instead of raising."""
    return secrets.compare_digest(supplied.encode("utf-8"), expected.encode("utf-8"))


# --- login -----------------------------------------------------------------------------


async def login_page(request: web.Request) -> web.Response:
    if request.get("viewer"):
        raise web.HTTPSeeOther("/")
    return _login_form(request)


def _login_form(request: web.Request, error: str = "", status: int = 200) -> web.Response:
    token = secrets.token_urlsafe(24)
    response = _render(request, "login.html", status=status, login_csrf=token, error=error)
    _set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


async def login_submit(request: web.Request) -> web.Response:
    form = await request.post()
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    supplied = str(form.get("csrf_token", ""))
    if not cookie or not same_token(cookie, supplied):
        raise web.HTTPForbidden(text="The login form was too old. Reload the page.")
    username = str(form.get("username", ""))[:128]
    password = str(form.get("password", ""))[: auth.MAX_PASSWORD_LENGTH]
    factory = _factory(request)
    try:
        user = await asyncio.to_thread(
            auth.authenticate, factory, username, password, _client_ip(request)
        )
    except auth.LoginThrottled as throttled:
        response = _login_form(
            request,
            f"Too many failed attempts. Try again in {throttled.retry_after_seconds} seconds.",
            status=429,
        )
        response.headers["Retry-After"] = str(throttled.retry_after_seconds)
        return response
    if user is None:
        return _login_form(request, "Wrong username or password.", status=401)
    token, _ = await asyncio.to_thread(auth.start_session, factory, user.id)
    response = web.HTTPSeeOther("/")
    _set_cookie(
        response, request, SESSION_COOKIE, token, max_age=int(auth.SESSION_TTL.total_seconds())
    )
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


@require(*auth.ROLES)
async def logout(request: web.Request) -> web.Response:
    await asyncio.to_thread(auth.end_session, _factory(request), request["viewer"].session_token)
    response = web.HTTPSeeOther("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


# --- queue -----------------------------------------------------------------------------


def _queue_context(factory: sessionmaker, viewer: Viewer) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    waiting = handoff.waiting_queue(factory, now)
    mine = handoff.active_for(factory, viewer.id)
    return {
        "waiting": [
            {
                "id": item.id,
                "language": item.language,
                "channel": item.channel,
                "reason": REASON_LABELS.get(item.reason, item.reason),
                "wait": _minutes(item.wait_seconds),
            }
            for item in waiting
        ],
        "mine": [
            {"id": item.id, "language": item.language, "channel": item.channel} for item in mine
        ],
        "office_open": handoff.office_hours_open(now),
    }


@require(*COUNSELLOR_ROLES)
async def queue_page(request: web.Request) -> web.Response:
    context = await asyncio.to_thread(_queue_context, _factory(request), request["viewer"])
    notice = request.query.get("notice", "")
    return _render(request, "queue.html", notice=NOTICES.get(notice, ""), **context)


@require(*COUNSELLOR_ROLES)
async def queue_fragment(request: web.Request) -> web.Response:
    context = await asyncio.to_thread(_queue_context, _factory(request), request["viewer"])
    return _render(request, "_queue.html", **context)


NOTICES = {
    "taken_by_other": "Another counsellor took that conversation first.",
    "handed_back": "The conversation went back to the assistant.",
    "closed": "The conversation is closed.",
    "not_yours": "That conversation is not (or no longer) yours.",
}


# --- one conversation ------------------------------------------------------------------


MAX_ID = 2**31 - 1  # the id columns are 32-bit INTEGERs on PostgreSQL


def parse_id(raw: str) -> int | None:
    """A database id from a URL, or None for anything that cannot be one."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def _request_or_404(factory: sessionmaker, request_id: str) -> handoff.HandoffRequest:
    parsed = parse_id(request_id)
    row = handoff.get_request(factory, parsed) if parsed is not None else None
    if row is None:
        raise web.HTTPNotFound(text="No such conversation.")
    return row


def _is_holder(row: handoff.HandoffRequest, viewer: Viewer) -> bool:
    return row.status == handoff.ACTIVE and row.counsellor_id == viewer.id


async def _conversation_context(request: web.Request, row: handoff.HandoffRequest) -> dict:
    factory = _factory(request)
    messages = await asyncio.to_thread(handoff.conversation_messages, factory, row.id)
    counsellor_texts = [m.text for m in messages if m.direction == "counsellor"]
    pending = [m.text for m in messages if m.direction == "counsellor" and m.delivered_at is None]
    rasa_error = ""
    try:
        tracker = await request.app[RASA].tracker(row.conversation_id)
    except RasaUnavailable:
        tracker, rasa_error = {"events": [], "slots": {}}, "The assistant cannot be reached now."
    language = row.language if row.language in ("nl", "fr", "en") else "nl"
    catalog = get_catalog()
    return {
        "item": row,
        "reason": REASON_LABELS.get(row.reason, row.reason),
        "entries": transcript(tracker.get("events") or [], counsellor_texts),
        "pending": pending,
        "collected": collected(tracker.get("slots") or {}),
        "holder": _is_holder(row, request["viewer"]),
        "canned": [catalog.text(key, language) for key in CANNED_KEYS],
        "outcomes": OUTCOME_LABELS,
        "rasa_error": rasa_error,
        "form": tracker.get("active_loop", {}).get("name") if tracker.get("active_loop") else None,
    }


@require(*COUNSELLOR_ROLES)
async def conversation_page(request: web.Request) -> web.Response:
    row = await asyncio.to_thread(_request_or_404, _factory(request), request.match_info["id"])
    context = await _conversation_context(request, row)
    return _render(request, "conversation.html", **context)


@require(*COUNSELLOR_ROLES)
async def transcript_fragment(request: web.Request) -> web.Response:
    row = await asyncio.to_thread(_request_or_404, _factory(request), request.match_info["id"])
    context = await _conversation_context(request, row)
    return _render(request, "_transcript.html", **context)


@require(*COUNSELLOR_ROLES)
async def take(request: web.Request) -> web.Response:
    factory, viewer = _factory(request), request["viewer"]
    row = await asyncio.to_thread(_request_or_404, factory, request.match_info["id"])
    taken = await asyncio.to_thread(handoff.take, factory, row.id, viewer.id)
    if not taken:
        if _wants_json(request):
            return web.json_response({"taken": False}, status=409)
        raise web.HTTPSeeOther("/?notice=taken_by_other")
    await request.app[RASA].sync(row.conversation_id)
    if _wants_json(request):
        return web.json_response({"taken": True})
    raise web.HTTPSeeOther(f"/handoffs/{row.id}")


@require(*COUNSELLOR_ROLES)
async def reply(request: web.Request) -> web.Response:
    factory, viewer = _factory(request), request["viewer"]
    row = await asyncio.to_thread(_request_or_404, factory, request.match_info["id"])
    form = await request.post()
    try:
        message_id = await asyncio.to_thread(
            handoff.add_counsellor_message, factory, row.id, viewer.id, str(form.get("text", ""))
        )
    except ValueError:
        if _wants_json(request):
            return web.json_response({"error": "empty_or_too_long"}, status=400)
        raise web.HTTPSeeOther(f"/handoffs/{row.id}") from None
    if message_id is None:
        if _wants_json(request):
            return web.json_response({"error": "not_yours"}, status=409)
        raise web.HTTPSeeOther("/?notice=not_yours")
    delivered = await request.app[RASA].sync(row.conversation_id)
    if _wants_json(request):
        return web.json_response({"message_id": message_id, "delivered": delivered})
    raise web.HTTPSeeOther(f"/handoffs/{row.id}")


@require(*COUNSELLOR_ROLES)
async def hand_back(request: web.Request) -> web.Response:
    factory, viewer = _factory(request), request["viewer"]
    row = await asyncio.to_thread(_request_or_404, factory, request.match_info["id"])
    if not await asyncio.to_thread(handoff.hand_back, factory, row.id, viewer.id):
        raise web.HTTPSeeOther("/?notice=not_yours")
    await request.app[RASA].sync(row.conversation_id)
    raise web.HTTPSeeOther("/?notice=handed_back")


@require(*COUNSELLOR_ROLES)
async def close(request: web.Request) -> web.Response:
    factory, viewer = _factory(request), request["viewer"]
    row = await asyncio.to_thread(_request_or_404, factory, request.match_info["id"])
    outcome = str((await request.post()).get("outcome", ""))
    if outcome not in handoff.OUTCOMES:
        raise web.HTTPBadRequest(text="Choose an outcome.")
    if not await asyncio.to_thread(handoff.close, factory, row.id, viewer.id, outcome):
        raise web.HTTPSeeOther("/?notice=not_yours")
    await request.app[RASA].sync(row.conversation_id)
    raise web.HTTPSeeOther("/?notice=closed")


@require(*COUNSELLOR_ROLES)
async def reveal(request: web.Request) -> web.Response:
    """One personal field in clear, for the holder only; written to the audit trail."""
    factory, viewer = _factory(request), request["viewer"]
    row = await asyncio.to_thread(_request_or_404, factory, request.match_info["id"])
    field = str((await request.post()).get("field", ""))
    if field not in MASKED_FIELDS:
        return web.json_response({"error": "unknown_field"}, status=400)
    if not _is_holder(row, viewer):
        return web.json_response({"error": "not_yours"}, status=403)
    try:
        tracker = await request.app[RASA].tracker(row.conversation_id)
    except RasaUnavailable:
        return web.json_response({"error": "assistant_unreachable"}, status=503)
    value = (tracker.get("slots") or {}).get(field)
    if value in (None, ""):
        return web.json_response({"error": "empty"}, status=404)

    def audit() -> None:
        with session_scope(factory) as session:
            record_audit_event(
                session,
                actor=f"counsellor:{viewer.id}",
                action="personal_data_revealed",
                conversation_id=row.conversation_id,
                detail={"request_id": row.id, "field": field},
            )

    await asyncio.to_thread(audit)
    return web.json_response(
        {"field": field, "label": COLLECTED_FIELDS[field], "value": str(value)}
    )


# --- live updates ----------------------------------------------------------------------


def _queue_signature(factory: sessionmaker, viewer_id: int) -> str:
    with session_scope(factory) as session:
        rows = session.execute(
            select(handoff.HandoffRequest.id, handoff.HandoffRequest.status).where(
                handoff.HandoffRequest.status.in_((handoff.WAITING, handoff.ACTIVE))
            )
        ).all()
    return json.dumps(sorted([list(r) for r in rows]))


def _conversation_signature(factory: sessionmaker, request_id: int) -> str:
    with session_scope(factory) as session:
        row = session.get(handoff.HandoffRequest, request_id)
        if row is None:
            return ""
        stamp = row.last_citizen_message_at or row.updated_at
        return f"{row.status}|{stamp}"


@require(*COUNSELLOR_ROLES)
async def events(request: web.Request) -> web.StreamResponse:
    """Server-sent events: `queue` when the queue changes, `conversation` when the watched
    conversation has news (a citizen message, a state change, a bot turn)."""
    factory, viewer, rasa = _factory(request), request["viewer"], request.app[RASA]
    watched = request.query.get("handoff", "")
    watched_row = None
    watched_id = parse_id(watched)
    if watched_id is not None:
        watched_row = await asyncio.to_thread(handoff.get_request, factory, watched_id)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    last_queue = last_conversation = None
    try:
        while True:
            queue_sig = await asyncio.to_thread(_queue_signature, factory, viewer.id)
            if queue_sig != last_queue:
                if last_queue is not None:
                    await response.write(b"event: queue\ndata: {}\n\n")
                last_queue = queue_sig
            if watched_row is not None:
                sig = await asyncio.to_thread(_conversation_signature, factory, watched_row.id)
                try:
                    tracker = await rasa.tracker(watched_row.conversation_id)
                    sig += f"|{len(tracker.get('events') or [])}"
                except RasaUnavailable:
                    pass
                if sig != last_conversation:
                    if last_conversation is not None:
                        await response.write(b"event: conversation\ndata: {}\n\n")
                    last_conversation = sig
            await response.write(b": keep-alive\n\n")
            await asyncio.sleep(SSE_POLL_SECONDS)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    return response


async def _retry_undelivered(app: web.Application) -> None:
    """Counsellor messages Rasa did not take at once are offered again, forever."""
    factory, rasa = app[FACTORY], app[RASA]
    while True:
        await asyncio.sleep(SYNC_RETRY_SECONDS)
        try:
            conversations = await asyncio.to_thread(_conversations_with_pending, factory)
            for conversation_id in conversations:
                await rasa.sync(conversation_id)
        except Exception:  # the loop must outlive any one failure
            logger.exception("handoff retry loop")


def _conversations_with_pending(factory: sessionmaker) -> list[str]:
    with session_scope(factory) as session:
        return list(
            session.execute(
                select(handoff.HandoffRequest.conversation_id)
                .join(
                    handoff.HandoffMessage,
                    handoff.HandoffMessage.handoff_id == handoff.HandoffRequest.id,
                )
                .where(
                    handoff.HandoffMessage.direction == "counsellor",
                    handoff.HandoffMessage.delivered_at.is_(None),
                )
                .distinct()
            )
            .scalars()
            .all()
        )


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


# --- the application -------------------------------------------------------------------


def create_app(
    factory: sessionmaker, rasa: RasaApi, secure_cookies: bool = False
) -> web.Application:
    app = web.Application(middlewares=[security_headers, load_viewer], client_max_size=64 * 1024)
    app[FACTORY] = factory
    app[RASA] = rasa
    app[SECURE] = secure_cookies
    app[TEMPLATES] = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
    )
    app.router.add_get("/health", health)
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login_submit)
    app.router.add_post("/logout", logout)
    app.router.add_get("/", queue_page)
    app.router.add_get("/queue", queue_fragment)
    app.router.add_get("/events", events)
    app.router.add_get("/handoffs/{id}", conversation_page)
    app.router.add_get("/handoffs/{id}/transcript", transcript_fragment)
    app.router.add_post("/handoffs/{id}/take", take)
    app.router.add_post("/handoffs/{id}/reply", reply)
    app.router.add_post("/handoffs/{id}/hand-back", hand_back)
    app.router.add_post("/handoffs/{id}/close", close)
    app.router.add_post("/handoffs/{id}/reveal", reveal)
    app.router.add_static("/static/", HERE / "static", append_version=False)

    async def start_retry(app: web.Application) -> None:
        app[RETRY_TASK] = asyncio.create_task(_retry_undelivered(app))

    async def stop(app: web.Application) -> None:
        app[RETRY_TASK].cancel()
        await rasa.close()

    app.on_startup.append(start_retry)
    app.on_cleanup.append(stop)
    return app

"""The agency sandbox: an aiohttp.web stand-in for the employment agency's API.

Contract (the outside checks use it):

    POST /oauth/token                      client credentials -> bearer token
    POST /v1/jobseekers                    registration (Idempotency-Key) -> 201 / 409
    GET  /v1/jobseekers/{reference}
    POST /v1/document-requests             document request (Idempotency-Key) -> 201
    GET  /v1/document-requests/{reference}
    GET  /v1/offices?postcode=NNNN

    /_sandbox/...                          test controls, no authentication

Errors are always JSON `{"error": code, "detail": text}`. The handlers use synchronous
SQLAlchemy on the event loop on purpose: each request's read-check-write runs without
interleaving, and the unique constraints catch anything else (several processes).
Personal data is never logged nor echoed in full.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import re
import secrets
import string
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import unquote_plus

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.agency_sandbox.models import DocumentRequest, IdempotencyKey, Jobseeker, SandboxBase
from bot.agency_sandbox.offices import office_for
from bot.agency_sandbox.validation import (
    describe,
    expected_days,
    mask_national_number,
    normalise_postcode,
    validate_document_request,
    validate_registration,
)
from bot.db import make_engine, make_session_factory, session_scope
from bot.geo import area_for_postcode

log = logging.getLogger(__name__)

DEFAULT_TOKEN_LIFETIME_SECONDS = 3600
REFERENCE_ALPHABET = string.ascii_uppercase + string.digits
# Answers worth replaying under an Idempotency-Key: the ones the request itself caused.
# Validation errors (400/422) are not stored: the same body always gets the same answer.
_STORED_STATUSES = frozenset({200, 201, 409})
_STATUS_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MAX_IDEMPOTENCY_KEY = 255
_FAULT_CODES = {
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
    429: "rate_limited",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _dumps(payload: dict) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _json(payload: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(
        text=_dumps(payload), status=status, content_type="application/json", headers=headers
    )


def _error(
    status: int, error: str, detail: str, headers: dict | None = None, **extra
) -> web.Response:
    return _json({"error": error, "detail": detail, **extra}, status=status, headers=headers)


def _utcnow() -> datetime:
    """Naive UTC, second precision (what SQLite stores and what the API shows)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def new_reference(prefix: str) -> str:
    return prefix + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


@dataclass
class Faults:
    """Failures to inject into the next /v1 calls (set through /_sandbox/faults)."""

    fail_next: int = 0
    status: int = 503
    delay_next: int = 0
    delay_seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "fail_next": self.fail_next,
            "status": self.status,
            "delay_next": self.delay_next,
            "delay_seconds": self.delay_seconds,
        }


@dataclass
class SandboxState:
    session_factory: sessionmaker
    client_id: str
    client_secret: str
    token_lifetime_seconds: int
    tokens: dict[str, float] = field(default_factory=dict)  # token -> monotonic expiry
    faults: Faults = field(default_factory=Faults)
    counters: Counter = field(default_factory=Counter)


STATE = web.AppKey("agency_sandbox_state", SandboxState)


def _state(request: web.Request) -> SandboxState:
    return request.app[STATE]


# --------------------------------------------------------------------------- middlewares


@web.middleware
async def _errors_as_json(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every error leaves as JSON `{error, detail}`, including aiohttp's own 404/405."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}.get(
            exc.status, "http_error"
        )
        return _error(exc.status, code, exc.reason)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("sandbox error on %s %s", request.method, request.path)
        return _error(500, "internal_error", "unexpected sandbox error")


@web.middleware
async def _faults_and_auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/v1/"):
        return await handler(request)
    state = _state(request)
    route = request.match_info.route.resource
    state.counters[f"{request.method} {route.canonical if route else '(unmatched)'}"] += 1
    faults = state.faults
    if faults.fail_next > 0:
        faults.fail_next -= 1
        state.counters["injected_failures"] += 1
        code = _FAULT_CODES.get(faults.status, "injected_failure")
        return _error(faults.status, code, "sandbox fault injection")
    delay = 0.0
    if faults.delay_next > 0:
        faults.delay_next -= 1
        delay = faults.delay_seconds
    # (Never `a or b` with responses: an aiohttp response is a mapping, empty = falsy.)
    response = _check_bearer(request, state)
    if response is None:
        response = await handler(request)
    if delay:
        # A slow answer: the work is done (and committed), the answer comes late.
        state.counters["injected_delays"] += 1
        await asyncio.sleep(delay)
    return response


def _check_bearer(request: web.Request, state: SandboxState) -> web.Response | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error(
            401,
            "unauthorized",
            "a bearer token is required",
            headers={"WWW-Authenticate": 'Bearer realm="agency-sandbox"'},
        )
    expiry = state.tokens.get(token.strip())
    if expiry is None or expiry <= time.monotonic():
        state.tokens.pop(token.strip(), None)
        return _error(
            401,
            "invalid_token",
            "unknown or expired token",
            headers={"WWW-Authenticate": 'Bearer realm="agency-sandbox", error="invalid_token"'},
        )
    return None


# --------------------------------------------------------------------------- OAuth


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        return None
    # RFC 6749 2.3.1: both parts are form-urlencoded before the Basic encoding.
    return unquote_plus(client_id), unquote_plus(secret)


async def oauth_token(request: web.Request) -> web.Response:
    state = _state(request)
    form: dict = {}
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = None
        form = body if isinstance(body, dict) else {}
    elif request.can_read_body:
        form = dict(await request.post())
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    grant_type = form.get("grant_type")
    if grant_type != "client_credentials":
        error = "invalid_request" if not grant_type else "unsupported_grant_type"
        return _error(400, error, "grant_type must be client_credentials", headers=headers)
    credentials = _basic_credentials(request.headers.get("Authorization", ""))
    if credentials is None:
        credentials = (str(form.get("client_id", "")), str(form.get("client_secret", "")))
    client_id, secret = credentials
    valid = hmac.compare_digest(client_id.encode(), state.client_id.encode()) & hmac.compare_digest(
        secret.encode(), state.client_secret.encode()
    )
    if not valid:
        return _error(
            401,
            "invalid_client",
            "unknown client or wrong secret",
            headers={**headers, "WWW-Authenticate": 'Basic realm="agency-sandbox"'},
        )
    now = time.monotonic()
    for expired in [t for t, expiry in state.tokens.items() if expiry <= now]:
        del state.tokens[expired]
    token = secrets.token_urlsafe(32)
    state.tokens[token] = now + state.token_lifetime_seconds
    state.counters["tokens_issued"] += 1
    return _json(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": state.token_lifetime_seconds,
        },
        headers=headers,
    )


# --------------------------------------------------------------------------- idempotent writes


async def _json_object(request: web.Request) -> dict | web.Response:
    try:
        body = json.loads(await request.read() or b"null")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid_json", "the body must be a JSON object")
    if not isinstance(body, dict):
        return _error(400, "invalid_json", "the body must be a JSON object")
    return body


def _idempotency_key(request: web.Request) -> str | web.Response:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return _error(400, "missing_idempotency_key", "the Idempotency-Key header is required")
    if len(key) > _MAX_IDEMPOTENCY_KEY or not key.isprintable():
        return _error(
            400,
            "invalid_idempotency_key",
            f"the Idempotency-Key must be printable and at most {_MAX_IDEMPOTENCY_KEY} chars",
        )
    return key


Action = Callable[[Session, dict], tuple[int, dict]]


def _run_idempotent(
    state: SandboxState, key: str, method: str, path: str, body: dict, action: Action
) -> web.Response:
    """Run `action` once per Idempotency-Key; replay its stored answer afterwards."""
    request_hash = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    for _ in range(5):
        try:
            with session_scope(state.session_factory) as session:
                stored = session.execute(
                    select(IdempotencyKey).where(IdempotencyKey.key == key)
                ).scalar_one_or_none()
                if stored is not None:
                    if (stored.method, stored.path, stored.request_hash) != (
                        method,
                        path,
                        request_hash,
                    ):
                        return _error(
                            422,
                            "idempotency_key_reused",
                            "this Idempotency-Key was already used for another request",
                        )
                    state.counters["idempotent_replays"] += 1
                    return web.Response(
                        status=stored.response_status,
                        text=stored.response_body,
                        content_type="application/json",
                    )
                status, payload = action(session, body)
                text = _dumps(payload)
                if status in _STORED_STATUSES:
                    session.add(
                        IdempotencyKey(
                            key=key,
                            method=method,
                            path=path,
                            request_hash=request_hash,
                            response_status=status,
                            response_body=text,
                            created_at=_utcnow(),
                        )
                    )
            return web.Response(status=status, text=text, content_type="application/json")
        except IntegrityError:
            # A concurrent writer (another process) won a unique constraint, or a random
            # reference collided: start again, the next round sees the winner's row.
            continue
    return _error(503, "conflict_retry", "too much contention, try again")


def _invalid(errors: dict[str, str]) -> tuple[int, dict]:
    return 422, {"error": "invalid_request", "detail": describe(errors), "fields": errors}


def _free_reference(session: Session, model: type, prefix: str) -> str:
    while True:
        reference = new_reference(prefix)
        taken = session.execute(
            select(model.id).where(model.reference == reference)
        ).scalar_one_or_none()
        if taken is None:
            return reference


CONFLICT_FIELDS = ("given_name", "family_name", "birth_date", "postcode")


def _comparable(value: object) -> str:
    return str(value or "").strip().casefold()


def _create_jobseeker(session: Session, body: dict) -> tuple[int, dict]:
    clean, errors = validate_registration(body)
    if errors:
        return _invalid(errors)
    existing = session.execute(
        select(Jobseeker).where(Jobseeker.national_number == clean["national_number"])
    ).scalar_one_or_none()
    if existing is not None:
        return 409, {
            "error": "already_registered",
            "detail": "this national number is already registered as a jobseeker",
            "reference": existing.reference,
            # Names of the identity fields that differ from the registration on file
            # (never their values): the assistant cannot settle these, a counsellor can.
            "conflicting_fields": [
                name
                for name in CONFLICT_FIELDS
                if _comparable(getattr(existing, name)) != _comparable(clean.get(name))
            ],
        }
    area = area_for_postcode(clean["postcode"])
    assert area is not None  # validated
    now = _utcnow()
    row = Jobseeker(
        reference=_free_reference(session, Jobseeker, "JS-"),
        agency=area.agency,
        status="registered",
        created_at=now,
        updated_at=now,
        **clean,
    )
    session.add(row)
    session.flush()
    return 201, {
        "reference": row.reference,
        "agency": row.agency,
        "status": row.status,
        "created_at": _iso(row.created_at),
    }


def _create_document_request(session: Session, body: dict) -> tuple[int, dict]:
    clean, errors = validate_document_request(body)
    if errors:
        return _invalid(errors)
    now = _utcnow()
    row = DocumentRequest(
        reference=_free_reference(session, DocumentRequest, "DR-"),
        status="received",
        expected_days=expected_days(clean["document_type"], clean["delivery"]),
        created_at=now,
        updated_at=now,
        **clean,
    )
    session.add(row)
    session.flush()
    return 201, {
        "reference": row.reference,
        "status": row.status,
        "expected_days": row.expected_days,
        "document_type": row.document_type,
        "delivery": row.delivery,
        "created_at": _iso(row.created_at),
    }


def _idempotent_post(path: str, action: Action) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        body = await _json_object(request)
        if isinstance(body, web.Response):
            return body
        key = _idempotency_key(request)
        if isinstance(key, web.Response):
            return key
        return _run_idempotent(_state(request), key, "POST", path, body, action)

    return handler


# --------------------------------------------------------------------------- reads


def _jobseeker_view(row: Jobseeker) -> dict:
    return {
        "reference": row.reference,
        "agency": row.agency,
        "status": row.status,
        "postcode": row.postcode,
        "language": row.language,
        "national_number_masked": mask_national_number(row.national_number),
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def _document_view(row: DocumentRequest) -> dict:
    return {
        "reference": row.reference,
        "status": row.status,
        "document_type": row.document_type,
        "delivery": row.delivery,
        "expected_days": row.expected_days,
        "national_number_masked": mask_national_number(row.national_number),
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def _get_by_reference(model: type, view: Callable[..., dict]) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        reference = request.match_info["reference"].strip().upper()
        with session_scope(_state(request).session_factory) as session:
            row = session.execute(
                select(model).where(model.reference == reference)
            ).scalar_one_or_none()
            if row is None:
                return _error(404, "not_found", "no such reference")
            return _json(view(row))

    return handler


async def get_office(request: web.Request) -> web.Response:
    raw = request.query.get("postcode")
    if not raw:
        return _error(422, "invalid_request", "invalid or missing field(s): postcode (required)")
    postcode = normalise_postcode(raw)
    if postcode is None:
        return _error(
            422,
            "invalid_request",
            "invalid or missing field(s): postcode (must be a four-digit Belgian postcode)",
        )
    area = area_for_postcode(postcode)
    if area is None:
        return _error(404, "not_found", "unknown Belgian postcode")
    return _json(office_for(area))


# --------------------------------------------------------------------------- test controls


async def sandbox_health(request: web.Request) -> web.Response:
    state = _state(request)
    with session_scope(state.session_factory) as session:
        jobseekers = session.execute(select(func.count(Jobseeker.id))).scalar_one()
        documents = session.execute(select(func.count(DocumentRequest.id))).scalar_one()
    return _json(
        {
            "status": "ok",
            "sandbox": True,
            "jobseekers": jobseekers,
            "document_requests": documents,
            "active_tokens": sum(1 for e in state.tokens.values() if e > time.monotonic()),
            "faults": state.faults.as_dict(),
            "counters": dict(state.counters),
        }
    )


def _non_negative(value, name: str, kind: type) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"{name} must be a non-negative number")
    if kind is int and int(value) != value:
        raise ValueError(f"{name} must be an integer")
    return kind(value)


async def set_faults(request: web.Request) -> web.Response:
    """`{"fail_next": N, "status": 503}` and/or `{"delay_seconds": X, "delay_next": N}`."""
    body = await _json_object(request)
    if isinstance(body, web.Response):
        return body
    faults = _state(request).faults
    updated = Faults(**faults.as_dict())
    try:
        if "fail_next" in body or "status" in body:
            updated.fail_next = int(_non_negative(body.get("fail_next", 1), "fail_next", int))
            updated.status = int(_non_negative(body.get("status", 503), "status", int))
            if not 400 <= updated.status <= 599:
                raise ValueError("status must be an HTTP error status (400-599)")
        if "delay_seconds" in body or "delay_next" in body:
            updated.delay_seconds = float(
                _non_negative(body.get("delay_seconds", 1.0), "delay_seconds", float)
            )
            updated.delay_next = int(_non_negative(body.get("delay_next", 1), "delay_next", int))
            if updated.delay_seconds > 300:
                raise ValueError("delay_seconds must be at most 300")
    except ValueError as exc:
        return _error(422, "invalid_request", str(exc))
    _state(request).faults = updated
    return _json(updated.as_dict())


async def reset_faults(request: web.Request) -> web.Response:
    state = _state(request)
    state.faults = Faults()
    return _json(state.faults.as_dict())


async def revoke_tokens(request: web.Request) -> web.Response:
    state = _state(request)
    revoked = len(state.tokens)
    state.tokens.clear()
    return _json({"revoked": revoked})


def _patch_status(model: type, view: Callable[..., dict]) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        body = await _json_object(request)
        if isinstance(body, web.Response):
            return body
        status = body.get("status")
        if not isinstance(status, str) or not _STATUS_PATTERN.match(status):
            return _error(
                422,
                "invalid_request",
                "invalid or missing field(s): status (lower-case word, e.g. ready)",
            )
        reference = request.match_info["reference"].strip().upper()
        with session_scope(_state(request).session_factory) as session:
            row = session.execute(
                select(model).where(model.reference == reference)
            ).scalar_one_or_none()
            if row is None:
                return _error(404, "not_found", "no such reference")
            row.status = status
            row.updated_at = _utcnow()
            session.flush()
            return _json(view(row))

    return handler


# --------------------------------------------------------------------------- the app


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
    app = web.Application(middlewares=[_errors_as_json, _faults_and_auth])
    app[STATE] = SandboxState(
        session_factory=make_session_factory(engine),
        client_id=client_id,
        client_secret=client_secret,
        token_lifetime_seconds=int(token_lifetime_seconds),
    )

    async def _dispose(_app: web.Application) -> None:
        engine.dispose()

    app.on_cleanup.append(_dispose)
    app.router.add_post("/oauth/token", oauth_token)
    app.router.add_post("/v1/jobseekers", _idempotent_post("/v1/jobseekers", _create_jobseeker))
    app.router.add_get("/v1/jobseekers/{reference}", _get_by_reference(Jobseeker, _jobseeker_view))
    app.router.add_post(
        "/v1/document-requests",
        _idempotent_post("/v1/document-requests", _create_document_request),
    )
    app.router.add_get(
        "/v1/document-requests/{reference}", _get_by_reference(DocumentRequest, _document_view)
    )
    app.router.add_get("/v1/offices", get_office)
    app.router.add_get("/_sandbox/health", sandbox_health)
    app.router.add_post("/_sandbox/faults", set_faults)
    app.router.add_delete("/_sandbox/faults", reset_faults)
    app.router.add_delete("/_sandbox/tokens", revoke_tokens)
    app.router.add_patch(
        "/_sandbox/jobseekers/{reference}", _patch_status(Jobseeker, _jobseeker_view)
    )
    app.router.add_patch(
        "/_sandbox/document-requests/{reference}",
        _patch_status(DocumentRequest, _document_view),
    )
    return app

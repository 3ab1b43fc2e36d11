"""Test controls under /_sandbox/ (no authentication): health, faults, tokens, statuses."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from aiohttp import web

from bot.db import session_scope
from bot.sandbox import queries
from bot.sandbox.models import DocumentRequest, Jobseeker
from bot.sandbox.responses import Handler, error, json_object, json_response, utcnow
from bot.sandbox.state import Faults, state_of
from bot.sandbox.views.reads import document_json, jobseeker_json, reference_of

STATUS_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_DELAY_SECONDS = 300


async def health(request: web.Request) -> web.Response:
    state = state_of(request)
    with session_scope(state.session_factory) as session:
        jobseekers = queries.count(session, Jobseeker)
        documents = queries.count(session, DocumentRequest)
    return json_response(
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


def _updated_faults(faults: Faults, body: dict) -> Faults:
    """`faults` changed as `body` asks; ValueError names what is wrong."""
    updated = Faults(**faults.as_dict())
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
        if updated.delay_seconds > MAX_DELAY_SECONDS:
            raise ValueError(f"delay_seconds must be at most {MAX_DELAY_SECONDS}")
    return updated


async def set_faults(request: web.Request) -> web.Response:
    """`{"fail_next": N, "status": 503}` and/or `{"delay_seconds": X, "delay_next": N}`."""
    body = await json_object(request)
    if isinstance(body, web.Response):
        return body
    state = state_of(request)
    try:
        state.faults = _updated_faults(state.faults, body)
    except ValueError as exc:
        return error(422, "invalid_request", str(exc))
    return json_response(state.faults.as_dict())


async def reset_faults(request: web.Request) -> web.Response:
    state = state_of(request)
    state.faults = Faults()
    return json_response(state.faults.as_dict())


async def revoke_tokens(request: web.Request) -> web.Response:
    state = state_of(request)
    revoked = len(state.tokens)
    state.tokens.clear()
    return json_response({"revoked": revoked})


def patch_status(model: type, shown: Callable[..., dict]) -> Handler:
    """`{"status": "ready"}` sets the status of one record, as the agency's staff would."""

    async def handler(request: web.Request) -> web.Response:
        body = await json_object(request)
        if isinstance(body, web.Response):
            return body
        status = body.get("status")
        if not isinstance(status, str) or not STATUS_PATTERN.match(status):
            return error(
                422,
                "invalid_request",
                "invalid or missing field(s): status (lower-case word, e.g. ready)",
            )
        with session_scope(state_of(request).session_factory) as session:
            row = queries.by_reference(session, model, reference_of(request))
            if row is None:
                return error(404, "not_found", "no such reference")
            row.status = status
            row.updated_at = utcnow()
            session.flush()
            return json_response(shown(row))

    return handler


set_jobseeker_status = patch_status(Jobseeker, jobseeker_json)
set_document_request_status = patch_status(DocumentRequest, document_json)

"""Idempotent writes: one effect per Idempotency-Key, its first answer replayed after.

The handlers use synchronous SQLAlchemy on the event loop on purpose: each request's
read-check-write runs without interleaving, and the unique constraints catch anything else
(several processes).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.sandbox.models import IdempotencyKey
from bot.sandbox.responses import dumps, error, utcnow
from bot.sandbox.state import SandboxState

# Answers worth replaying under an Idempotency-Key: the ones the request itself caused.
# Validation errors (400/422) are not stored: the same body always gets the same answer.
STORED_STATUSES = frozenset({200, 201, 409})
MAX_KEY_LENGTH = 255
ATTEMPTS = 5

# What a write does inside the transaction: (session, body) -> (status, payload).
Action = Callable[[Session, dict], tuple[int, dict]]


def idempotency_key(request: web.Request) -> str | web.Response:
    """The request's Idempotency-Key, or the 400 to answer when it is missing or unusable."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return error(400, "missing_idempotency_key", "the Idempotency-Key header is required")
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        return error(
            400,
            "invalid_idempotency_key",
            f"the Idempotency-Key must be printable and at most {MAX_KEY_LENGTH} chars",
        )
    return key


def request_hash(body: dict) -> str:
    return hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()


def run_idempotent(
    state: SandboxState, key: str, method: str, path: str, body: dict, action: Action
) -> web.Response:
    """Run `action` once per Idempotency-Key; replay its stored answer afterwards."""
    body_hash = request_hash(body)
    for _ in range(ATTEMPTS):
        try:
            with session_scope(state.session_factory) as session:
                stored = session.execute(
                    select(IdempotencyKey).where(IdempotencyKey.key == key)
                ).scalar_one_or_none()
                if stored is not None:
                    return _replay(state, stored, method, path, body_hash)
                status, payload = action(session, body)
                text = dumps(payload)
                if status in STORED_STATUSES:
                    session.add(
                        IdempotencyKey(
                            key=key,
                            method=method,
                            path=path,
                            request_hash=body_hash,
                            response_status=status,
                            response_body=text,
                            created_at=utcnow(),
                        )
                    )
            return web.Response(status=status, text=text, content_type="application/json")
        except IntegrityError:
            # A concurrent writer (another process) won a unique constraint, or a random
            # reference collided: start again, the next round sees the winner's row.
            continue
    return error(503, "conflict_retry", "too much contention, try again")


def _replay(
    state: SandboxState, stored: IdempotencyKey, method: str, path: str, body_hash: str
) -> web.Response:
    if (stored.method, stored.path, stored.request_hash) != (method, path, body_hash):
        return error(
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

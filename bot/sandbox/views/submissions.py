"""POST /v1/jobseekers and POST /v1/document-requests: validated, idempotent writes.

Personal data is never logged nor echoed in full.
"""

from __future__ import annotations

from typing import Any, TypeVar

from aiohttp import web
from sqlalchemy.orm import Session

from bot.geo import area_for_postcode
from bot.sandbox import queries
from bot.sandbox.idempotency import Action, idempotency_key, run_idempotent
from bot.sandbox.models import DocumentRequest, Jobseeker
from bot.sandbox.responses import Handler, iso, json_object, utcnow
from bot.sandbox.state import state_of
from bot.sandbox.validation import (
    describe,
    expected_days,
    validate_document_request,
    validate_registration,
)

# Identity fields compared with the registration on file when a number is known already.
CONFLICT_FIELDS = ("given_name", "family_name", "birth_date", "postcode")


def _invalid(errors: dict[str, str]) -> tuple[int, dict]:
    return 422, {"error": "invalid_request", "detail": describe(errors), "fields": errors}


def _comparable(value: object) -> str:
    return str(value or "").strip().casefold()


def _already_registered(existing: Jobseeker, clean: dict) -> tuple[int, dict]:
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


Row = TypeVar("Row", Jobseeker, DocumentRequest)


def _insert(session: Session, model: type[Row], prefix: str, **values: Any) -> Row:
    """A new row under a free reference, created and updated now."""
    now = utcnow()
    row = model(
        reference=queries.free_reference(session, model, prefix),
        created_at=now,
        updated_at=now,
        **values,
    )
    session.add(row)
    session.flush()
    return row


def create_jobseeker(session: Session, body: dict) -> tuple[int, dict]:
    clean, errors = validate_registration(body)
    if errors:
        return _invalid(errors)
    existing = queries.jobseeker_by_national_number(session, clean["national_number"])
    if existing is not None:
        return _already_registered(existing, clean)
    area = area_for_postcode(clean["postcode"])
    # bandit B101: Invariant for the type checker, not a check of input.
    assert area is not None  # validated  # nosec B101
    row = _insert(
        session,
        Jobseeker,
        queries.JOBSEEKER_PREFIX,
        agency=area.agency,
        status="registered",
        **clean,
    )
    return 201, {
        "reference": row.reference,
        "agency": row.agency,
        "status": row.status,
        "created_at": iso(row.created_at),
    }


def create_document_request(session: Session, body: dict) -> tuple[int, dict]:
    clean, errors = validate_document_request(body)
    if errors:
        return _invalid(errors)
    row = _insert(
        session,
        DocumentRequest,
        queries.DOCUMENT_REQUEST_PREFIX,
        status="received",
        expected_days=expected_days(clean["document_type"], clean["delivery"]),
        **clean,
    )
    return 201, {
        "reference": row.reference,
        "status": row.status,
        "expected_days": row.expected_days,
        "document_type": row.document_type,
        "delivery": row.delivery,
        "created_at": iso(row.created_at),
    }


def idempotent_post(path: str, action: Action) -> Handler:
    """The handler of `POST path`: a JSON object body and an Idempotency-Key, or a 400."""

    async def handler(request: web.Request) -> web.Response:
        body = await json_object(request)
        if isinstance(body, web.Response):
            return body
        key = idempotency_key(request)
        if isinstance(key, web.Response):
            return key
        return run_idempotent(state_of(request), key, "POST", path, body, action)

    return handler


register_jobseeker = idempotent_post("/v1/jobseekers", create_jobseeker)
request_document = idempotent_post("/v1/document-requests", create_document_request)

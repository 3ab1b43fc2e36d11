"""GET /v1/jobseekers/{reference}, /v1/document-requests/{reference}, /v1/offices.

Reads show the national number masked (its two check digits only), never in full.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from bot.db import session_scope
from bot.geo import area_for_postcode
from bot.sandbox import queries
from bot.sandbox.models import DocumentRequest, Jobseeker
from bot.sandbox.offices import office_for
from bot.sandbox.responses import Handler, error, iso, json_response
from bot.sandbox.state import state_of
from bot.sandbox.validation import mask_national_number, normalise_postcode


def jobseeker_json(row: Jobseeker) -> dict:
    return {
        "reference": row.reference,
        "agency": row.agency,
        "status": row.status,
        "postcode": row.postcode,
        "language": row.language,
        "national_number_masked": mask_national_number(row.national_number),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def document_json(row: DocumentRequest) -> dict:
    return {
        "reference": row.reference,
        "status": row.status,
        "document_type": row.document_type,
        "delivery": row.delivery,
        "expected_days": row.expected_days,
        "national_number_masked": mask_national_number(row.national_number),
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }


def reference_of(request: web.Request) -> str:
    return request.match_info["reference"].strip().upper()


def get_by_reference(model: type, shown: Callable[..., dict]) -> Handler:
    async def handler(request: web.Request) -> web.Response:
        with session_scope(state_of(request).session_factory) as session:
            row = queries.by_reference(session, model, reference_of(request))
            if row is None:
                return error(404, "not_found", "no such reference")
            return json_response(shown(row))

    return handler


get_jobseeker = get_by_reference(Jobseeker, jobseeker_json)
get_document_request = get_by_reference(DocumentRequest, document_json)


async def get_office(request: web.Request) -> web.Response:
    raw = request.query.get("postcode")
    if not raw:
        return error(422, "invalid_request", "invalid or missing field(s): postcode (required)")
    postcode = normalise_postcode(raw)
    if postcode is None:
        return error(
            422,
            "invalid_request",
            "invalid or missing field(s): postcode (must be a four-digit Belgian postcode)",
        )
    area = area_for_postcode(postcode)
    if area is None:
        return error(404, "not_found", "unknown Belgian postcode")
    return json_response(office_for(area))

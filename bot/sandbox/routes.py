"""The sandbox's URL table: the agency's contract plus the test controls.

POST /oauth/token                      client credentials -> bearer token
POST /v1/jobseekers                    registration (Idempotency-Key) -> 201 / 409
GET  /v1/jobseekers/{reference}
POST /v1/document-requests             document request (Idempotency-Key) -> 201
GET  /v1/document-requests/{reference}
GET  /v1/offices?postcode=NNNN

/_sandbox/...                          test controls, no authentication
"""

from __future__ import annotations

from aiohttp import web

from bot.sandbox.views import controls, reads, submissions, token


def setup_routes(app: web.Application) -> None:
    router = app.router
    router.add_post("/oauth/token", token.oauth_token)

    router.add_post("/v1/jobseekers", submissions.register_jobseeker)
    router.add_get("/v1/jobseekers/{reference}", reads.get_jobseeker)
    router.add_post("/v1/document-requests", submissions.request_document)
    router.add_get("/v1/document-requests/{reference}", reads.get_document_request)
    router.add_get("/v1/offices", reads.get_office)

    router.add_get("/_sandbox/health", controls.health)
    router.add_post("/_sandbox/faults", controls.set_faults)
    router.add_delete("/_sandbox/faults", controls.reset_faults)
    router.add_delete("/_sandbox/tokens", controls.revoke_tokens)
    router.add_patch("/_sandbox/jobseekers/{reference}", controls.set_jobseeker_status)
    router.add_patch(
        "/_sandbox/document-requests/{reference}", controls.set_document_request_status
    )

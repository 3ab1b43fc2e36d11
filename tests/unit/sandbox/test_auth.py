"""OAuth2 tokens (`views/token.py`) and the bearer check of /v1 (`middlewares.py`), over HTTP."""

from __future__ import annotations

import base64

import pytest

from tests.agency_support import CLIENT_ID, CLIENT_SECRET, registration, running_sandbox


async def test_token_with_form_credentials(sandbox):
    async with sandbox.http.post(
        f"{sandbox.base_url}/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
    ) as response:
        body = await response.json()
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-store"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert len(body["access_token"]) >= 32


async def test_token_with_basic_auth(sandbox):
    basic = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    async with sandbox.http.post(
        f"{sandbox.base_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    ) as response:
        assert response.status == 200
        token = (await response.json())["access_token"]
    status, _ = await sandbox.get(
        "/v1/offices", {"Authorization": f"Bearer {token}"}, {"postcode": "9000"}
    )
    assert status == 200


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        (
            {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "no"},
            401,
            "invalid_client",
        ),
        (
            {
                "grant_type": "client_credentials",
                "client_id": "other",
                "client_secret": CLIENT_SECRET,
            },
            401,
            "invalid_client",
        ),
        (
            {"grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET},
            400,
            "unsupported_grant_type",
        ),
        ({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, 400, "invalid_request"),
    ],
)
async def test_token_refused(sandbox, form, status, error):
    async with sandbox.http.post(f"{sandbox.base_url}/oauth/token", data=form) as response:
        assert response.status == status
        body = await response.json()
    assert body["error"] == error
    assert "detail" in body
    assert "access_token" not in body


UNAUTHENTICATED = [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}]


V1_CALLS = [
    ("GET", "/v1/offices?postcode=9000"),
    ("GET", "/v1/jobseekers/JS-AAAAAAAA"),
    ("POST", "/v1/jobseekers"),
    ("GET", "/v1/document-requests/DR-AAAAAAAA"),
    ("POST", "/v1/document-requests"),
]


async def test_v1_needs_a_valid_bearer_token(sandbox):
    for headers in UNAUTHENTICATED:
        for method, path in V1_CALLS:
            async with sandbox.http.request(
                method,
                f"{sandbox.base_url}{path}",
                headers={**headers, "Idempotency-Key": "k"},
                json=registration(),
            ) as response:
                assert response.status == 401, (headers, method, path)
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
                body = await response.json()
            assert body["error"] in {"unauthorized", "invalid_token"}
            assert body["detail"]
    assert sandbox.jobseekers() == []
    assert sandbox.document_requests() == []


async def test_expired_token_is_refused(tmp_path):
    async with running_sandbox(tmp_path / "s.db", token_lifetime_seconds=0) as sandbox:
        status, body = await sandbox.get("/v1/offices", params={"postcode": "9000"})
    assert status == 401
    assert body["error"] == "invalid_token"


async def test_revoked_token_is_refused(sandbox):
    headers = await sandbox.auth()
    assert (await sandbox.get("/v1/offices", headers, {"postcode": "9000"}))[0] == 200
    await sandbox.revoke_tokens()
    assert (await sandbox.get("/v1/offices", headers, {"postcode": "9000"}))[0] == 401

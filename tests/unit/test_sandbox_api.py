"""The agency sandbox over real HTTP on loopback (raw aiohttp requests, no AgencyClient)."""

from __future__ import annotations

import base64
import time

import pytest

from bot.agency_sandbox.app import new_reference
from tests.conftest_agency import (
    CLIENT_ID,
    CLIENT_SECRET,
    document_request,
    national_number,
    registration,
    running_sandbox,
)

pytest_plugins = ["tests.conftest_agency"]


async def post(sandbox, path, body, key="key-1", headers=None):
    headers = {**(await sandbox.auth()), **(headers or {})}
    if key is not None:
        headers["Idempotency-Key"] = key
    async with sandbox.http.post(f"{sandbox.base_url}{path}", json=body, headers=headers) as r:
        return r.status, await r.read(), (await r.json()) if r.content_type.endswith("json") else {}


async def get(sandbox, path, headers=None, params=None):
    headers = (await sandbox.auth()) if headers is None else headers
    async with sandbox.http.get(f"{sandbox.base_url}{path}", headers=headers, params=params) as r:
        return r.status, await r.json()


# ---------------------------------------------------------------------- OAuth


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
    status, _ = await get(
        sandbox, "/v1/offices", {"Authorization": f"Bearer {token}"}, {"postcode": "9000"}
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
        status, body = await get(sandbox, "/v1/offices", params={"postcode": "9000"})
    assert status == 401
    assert body["error"] == "invalid_token"


async def test_revoked_token_is_refused(sandbox):
    headers = await sandbox.auth()
    assert (await get(sandbox, "/v1/offices", headers, {"postcode": "9000"}))[0] == 200
    await sandbox.revoke_tokens()
    assert (await get(sandbox, "/v1/offices", headers, {"postcode": "9000"}))[0] == 401


# ---------------------------------------------------------------------- registration


async def test_registration_is_created_and_persisted(sandbox):
    status, _, body = await post(sandbox, "/v1/jobseekers", registration(postcode="1050"))
    assert status == 201
    assert body["reference"].startswith("JS-") and len(body["reference"]) == 11
    assert (
        body["reference"][3:].isalnum() and body["reference"][3:].upper() == body["reference"][3:]
    )
    assert body["agency"] == "Actiris"
    assert body["status"] == "registered"
    assert "national_number" not in body

    (row,) = sandbox.jobseekers()
    expected = registration(postcode="1050")
    assert row.reference == body["reference"]
    assert row.national_number == expected["national_number"]
    assert (row.given_name, row.family_name) == ("An", "Peeters")
    assert row.birth_date.isoformat() == "1990-01-01"
    assert (row.postcode, row.phone, row.email) == ("1050", "+32470123456", expected["email"])
    assert (row.education_level, row.occupation, row.language) == (
        "higher",
        "verpleegkundige",
        "nl",
    )
    assert (row.agency, row.status) == ("Actiris", "registered")
    assert row.created_at is not None


async def test_agency_follows_the_postcode(sandbox):
    cases = [
        ("9000", "VDAB"),
        ("1000", "Actiris"),
        ("5000", "Le Forem"),
        ("4700", "ADG"),
        ("4780", "ADG"),
        ("4000", "Le Forem"),
    ]
    for serial, (postcode, agency) in enumerate(cases, start=1):
        payload = registration(serial, postcode=postcode)
        status, _, body = await post(sandbox, "/v1/jobseekers", payload, key=f"k{serial}")
        assert (status, body["agency"]) == (201, agency), postcode
    assert {row.postcode: row.agency for row in sandbox.jobseekers()} == dict(cases)


async def test_email_is_optional_and_formatted_numbers_are_accepted(sandbox):
    number = national_number(7)
    formatted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    status, _, _ = await post(
        sandbox, "/v1/jobseekers", registration(national_number=formatted, email=None)
    )
    assert status == 201
    (row,) = sandbox.jobseekers()
    assert row.national_number == number
    assert row.email is None


async def test_bis_number_is_accepted(sandbox):
    status, _, _ = await post(
        sandbox, "/v1/jobseekers", registration(national_number="98472899765")
    )
    assert status == 201


async def test_same_key_same_body_replays_byte_identically(sandbox):
    first = await post(sandbox, "/v1/jobseekers", registration(), key="same")
    second = await post(sandbox, "/v1/jobseekers", registration(), key="same")
    assert first[0] == second[0] == 201
    assert first[1] == second[1]  # the raw bytes
    assert len(sandbox.jobseekers()) == 1
    assert await sandbox.counter("idempotent_replays") == 1


async def test_same_key_other_body_is_refused(sandbox):
    assert (await post(sandbox, "/v1/jobseekers", registration(), key="k"))[0] == 201
    status, _, body = await post(sandbox, "/v1/jobseekers", registration(2), key="k")
    assert status == 422
    assert body["error"] == "idempotency_key_reused"
    assert len(sandbox.jobseekers()) == 1


async def test_same_key_on_another_endpoint_is_refused(sandbox):
    assert (await post(sandbox, "/v1/jobseekers", registration(), key="k"))[0] == 201
    status, _, body = await post(sandbox, "/v1/document-requests", document_request(), key="k")
    assert (status, body["error"]) == (422, "idempotency_key_reused")


async def test_missing_idempotency_key(sandbox):
    status, _, body = await post(sandbox, "/v1/jobseekers", registration(), key=None)
    assert (status, body["error"]) == (400, "missing_idempotency_key")
    status, _, body = await post(sandbox, "/v1/document-requests", document_request(), key=None)
    assert (status, body["error"]) == (400, "missing_idempotency_key")
    assert sandbox.jobseekers() == []


async def test_body_must_be_a_json_object(sandbox):
    headers = {**(await sandbox.auth()), "Idempotency-Key": "k", "Content-Type": "application/json"}
    for raw in (b"not json", b"[1, 2]"):
        async with sandbox.http.post(
            f"{sandbox.base_url}/v1/jobseekers", data=raw, headers=headers
        ) as response:
            assert response.status == 400
            assert (await response.json())["error"] == "invalid_json"


async def test_already_registered_under_another_key(sandbox):
    _, _, first = await post(sandbox, "/v1/jobseekers", registration(), key="k1")
    status, _, body = await post(
        sandbox, "/v1/jobseekers", registration(phone="+32470999999"), key="k2"
    )
    assert status == 409
    assert body["error"] == "already_registered"
    assert body["reference"] == first["reference"]
    assert body["detail"]
    assert len(sandbox.jobseekers()) == 1
    # the 409 itself is replayed for its key
    again = await post(sandbox, "/v1/jobseekers", registration(phone="+32470999999"), key="k2")
    assert again[0] == 409 and again[2]["reference"] == first["reference"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("national_number", None),
        ("national_number", "85073003329"),  # wrong check digits
        ("national_number", "1234"),
        ("national_number", 85073003328),
        ("given_name", ""),
        ("given_name", "R2D2"),
        ("family_name", None),
        ("birth_date", "30/07/1985"),
        ("birth_date", "2999-01-01"),
        ("postcode", "0000"),
        ("postcode", "90000"),
        ("postcode", None),
        ("phone", "0470123456"),
        ("phone", "+32 470 12 34 56"),
        ("email", "not-an-email"),
        ("education_level", "phd"),
        ("occupation", ""),
        ("language", "de"),
        ("language", None),
    ],
)
async def test_registration_validation_names_the_field(sandbox, field, value):
    payload = registration()
    if value is None:
        payload.pop(field)
    else:
        payload[field] = value
    status, _, body = await post(sandbox, "/v1/jobseekers", payload)
    assert status == 422
    assert body["error"] == "invalid_request"
    assert field in body["detail"]
    assert list(body["fields"]) == [field]
    if isinstance(value, str) and len(value) > 3:
        assert value not in body["detail"]  # never echoes the submitted value
    assert sandbox.jobseekers() == []


async def test_validation_is_not_stored_under_the_key(sandbox):
    bad = registration(phone="nope")
    assert (await post(sandbox, "/v1/jobseekers", bad, key="k"))[0] == 422
    assert sandbox.idempotency_keys() == []


# ---------------------------------------------------------------------- document requests


@pytest.mark.parametrize(
    ("document_type", "delivery", "days"),
    [
        ("jobseeker_certificate", "email", 1),
        ("jobseeker_certificate", "post", 3),
        ("residence_certificate", "counter", 2),
        ("household_composition", "email", 2),
        ("household_composition", "post", 4),
        ("criminal_record_extract", "email", 3),
        ("criminal_record_extract", "post", 5),
        ("birth_certificate", "counter", 5),
        ("birth_certificate", "post", 7),
    ],
)
async def test_document_request_expected_days(sandbox, document_type, delivery, days):
    payload = document_request(document_type=document_type, delivery=delivery)
    status, _, body = await post(sandbox, "/v1/document-requests", payload)
    assert status == 201
    assert body["reference"].startswith("DR-") and len(body["reference"]) == 11
    assert body["status"] == "received"
    assert body["expected_days"] == days
    (row,) = sandbox.document_requests()
    assert (row.document_type, row.delivery, row.expected_days) == (document_type, delivery, days)


async def test_document_request_optional_fields_are_stored(sandbox):
    payload = document_request(
        delivery="post",
        given_name="Marie",
        family_name="Dubois",
        postcode="5000",
        language="fr",
        email=None,
    )
    assert (await post(sandbox, "/v1/document-requests", payload))[0] == 201
    (row,) = sandbox.document_requests()
    assert (row.given_name, row.family_name, row.postcode, row.language) == (
        "Marie",
        "Dubois",
        "5000",
        "fr",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"document_type": "passport"}, "document_type"),
        ({"delivery": "pigeon"}, "delivery"),
        ({"national_number": "12345678901"}, "national_number"),
        ({"delivery": "email", "email": None}, "email"),
        ({"postcode": "9999"}, "postcode"),
        ({"language": "xx"}, "language"),
    ],
)
async def test_document_request_validation(sandbox, overrides, field):
    payload = {k: v for k, v in document_request(**overrides).items() if v is not None}
    status, _, body = await post(sandbox, "/v1/document-requests", payload)
    assert status == 422
    assert body["error"] == "invalid_request"
    assert field in body["fields"]
    assert sandbox.document_requests() == []


async def test_document_request_idempotent_replay(sandbox):
    first = await post(sandbox, "/v1/document-requests", document_request(), key="d")
    second = await post(sandbox, "/v1/document-requests", document_request(), key="d")
    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert len(sandbox.document_requests()) == 1


# ---------------------------------------------------------------------- status reads


async def test_get_jobseeker_status_masks_the_national_number(sandbox):
    _, _, created = await post(sandbox, "/v1/jobseekers", registration())
    status, body = await get(sandbox, f"/v1/jobseekers/{created['reference']}")
    assert status == 200
    assert body["reference"] == created["reference"]
    assert body["agency"] == "VDAB"
    assert body["status"] == "registered"
    assert body["created_at"].endswith("Z")
    number = national_number(1)
    assert number not in str(body)
    assert body["national_number_masked"] == "*" * 9 + number[-2:]
    assert "phone" not in body and "email" not in body


async def test_get_document_request_status(sandbox):
    _, _, created = await post(sandbox, "/v1/document-requests", document_request())
    status, body = await get(sandbox, f"/v1/document-requests/{created['reference']}")
    assert status == 200
    assert (body["reference"], body["status"]) == (created["reference"], "received")
    assert body["document_type"] == "jobseeker_certificate"
    assert national_number(1) not in str(body)


async def test_unknown_references_are_404(sandbox):
    for path in ("/v1/jobseekers/JS-NOPE0000", "/v1/document-requests/DR-NOPE0000"):
        status, body = await get(sandbox, path)
        assert (status, body["error"]) == (404, "not_found")


async def test_sandbox_can_change_statuses(sandbox):
    _, _, js = await post(sandbox, "/v1/jobseekers", registration(), key="a")
    _, _, dr = await post(sandbox, "/v1/document-requests", document_request(), key="b")
    for kind, ref, new in (
        ("jobseekers", js["reference"], "active"),
        ("document-requests", dr["reference"], "ready"),
    ):
        async with sandbox.http.patch(
            f"{sandbox.base_url}/_sandbox/{kind}/{ref}", json={"status": new}
        ) as response:
            assert response.status == 200
            assert (await response.json())["status"] == new
        status, body = await get(sandbox, f"/v1/{kind}/{ref}")
        assert (status, body["status"]) == (200, new)
    async with sandbox.http.patch(
        f"{sandbox.base_url}/_sandbox/jobseekers/JS-NOPE0000", json={"status": "active"}
    ) as response:
        assert response.status == 404
    async with sandbox.http.patch(
        f"{sandbox.base_url}/_sandbox/jobseekers/{js['reference']}", json={"status": ""}
    ) as response:
        assert response.status == 422


# ---------------------------------------------------------------------- offices


@pytest.mark.parametrize(
    ("postcode", "agency", "municipality"),
    [
        ("9000", "VDAB", "Gent"),
        ("1000", "Actiris", "Bruxelles / Brussel"),
        ("5000", "Le Forem", "Namur"),
        ("4700", "ADG", "Eupen"),
    ],
)
async def test_office_for_each_agency(sandbox, postcode, agency, municipality):
    status, body = await get(sandbox, "/v1/offices", params={"postcode": postcode})
    assert status == 200
    assert body["agency"] == agency
    assert body["postcode"] == postcode
    assert body["municipality"] == municipality
    assert body["name"] and body["address"] and body["phone"]
    assert set(body["opening_hours"]) == {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
    assert body["sandbox"] is True


async def test_office_unknown_and_malformed_postcodes(sandbox):
    status, body = await get(sandbox, "/v1/offices", params={"postcode": "0000"})
    assert (status, body["error"]) == (404, "not_found")
    for bad in ("12", "abcd", "10000"):
        status, body = await get(sandbox, "/v1/offices", params={"postcode": bad})
        assert (status, body["error"]) == (422, "invalid_request")
    status, body = await get(sandbox, "/v1/offices")
    assert status == 422


# ---------------------------------------------------------------------- faults and errors


async def test_fail_next_then_recover(sandbox):
    await sandbox.faults(fail_next=2, status=503)
    headers = await sandbox.auth()  # /oauth/token is not affected
    for _ in range(2):
        status, body = await get(sandbox, "/v1/offices", headers, {"postcode": "9000"})
        assert status == 503
        assert body["error"] == "service_unavailable"
    assert (await get(sandbox, "/v1/offices", headers, {"postcode": "9000"}))[0] == 200


async def test_failed_calls_have_no_effect_and_reset_clears_faults(sandbox):
    await sandbox.faults(fail_next=5, status=500)
    assert (await post(sandbox, "/v1/jobseekers", registration()))[0] == 500
    assert sandbox.jobseekers() == []
    await sandbox.reset_faults()
    assert (await sandbox.health())["faults"]["fail_next"] == 0
    assert (await post(sandbox, "/v1/jobseekers", registration()))[0] == 201


async def test_delay_slows_the_next_calls(sandbox):
    await sandbox.faults(delay_seconds=0.4, delay_next=1)
    headers = await sandbox.auth()
    started = time.monotonic()
    assert (await get(sandbox, "/v1/offices", headers, {"postcode": "9000"}))[0] == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    assert (await get(sandbox, "/v1/offices", headers, {"postcode": "9000"}))[0] == 200
    assert time.monotonic() - started < 0.4


async def test_fault_control_validation(sandbox):
    for body in ({"fail_next": -1}, {"status": 200}, {"delay_seconds": "x"}):
        async with sandbox.http.post(f"{sandbox.base_url}/_sandbox/faults", json=body) as r:
            assert r.status == 422
            assert (await r.json())["error"] == "invalid_request"


async def test_health_and_json_errors_everywhere(sandbox):
    health = await sandbox.health()
    assert health["status"] == "ok" and health["sandbox"] is True
    async with sandbox.http.get(f"{sandbox.base_url}/nowhere") as response:
        assert response.status == 404
        assert (await response.json())["error"] == "not_found"
    async with sandbox.http.delete(f"{sandbox.base_url}/oauth/token") as response:
        assert response.status == 405
        body = await response.json()
        assert body["error"] == "method_not_allowed" and "detail" in body


def test_references_have_the_contract_format():
    for prefix in ("JS-", "DR-"):
        reference = new_reference(prefix)
        assert reference.startswith(prefix) and len(reference) == 11
        assert all(c.isupper() or c.isdigit() for c in reference[3:])

"""POST /v1/jobseekers and /v1/document-requests over real HTTP: records, validation."""

from __future__ import annotations

import pytest

from bot.sandbox.queries import new_reference
from tests.agency_support import document_request, national_number, registration


async def test_registration_is_created_and_persisted(sandbox):
    status, _, body = await sandbox.post("/v1/jobseekers", registration(postcode="1050"))
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
        status, _, body = await sandbox.post("/v1/jobseekers", payload, key=f"k{serial}")
        assert (status, body["agency"]) == (201, agency), postcode
    assert {row.postcode: row.agency for row in sandbox.jobseekers()} == dict(cases)


async def test_email_is_optional_and_formatted_numbers_are_accepted(sandbox):
    number = national_number(7)
    formatted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    status, _, _ = await sandbox.post(
        "/v1/jobseekers", registration(national_number=formatted, email=None)
    )
    assert status == 201
    (row,) = sandbox.jobseekers()
    assert row.national_number == number
    assert row.email is None


async def test_bis_number_is_accepted(sandbox):
    status, _, _ = await sandbox.post("/v1/jobseekers", registration(national_number="98472899765"))
    assert status == 201


async def test_body_must_be_a_json_object(sandbox):
    headers = {**(await sandbox.auth()), "Idempotency-Key": "k", "Content-Type": "application/json"}
    for raw in (b"not json", b"[1, 2]"):
        async with sandbox.http.post(
            f"{sandbox.base_url}/v1/jobseekers", data=raw, headers=headers
        ) as response:
            assert response.status == 400
            assert (await response.json())["error"] == "invalid_json"


async def test_already_registered_under_another_key(sandbox):
    _, _, first = await sandbox.post("/v1/jobseekers", registration(), key="k1")
    status, _, body = await sandbox.post(
        "/v1/jobseekers", registration(phone="+32470999999"), key="k2"
    )
    assert status == 409
    assert body["error"] == "already_registered"
    assert body["reference"] == first["reference"]
    assert body["detail"]
    assert len(sandbox.jobseekers()) == 1
    # the 409 itself is replayed for its key
    again = await sandbox.post("/v1/jobseekers", registration(phone="+32470999999"), key="k2")
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
    status, _, body = await sandbox.post("/v1/jobseekers", payload)
    assert status == 422
    assert body["error"] == "invalid_request"
    assert field in body["detail"]
    assert list(body["fields"]) == [field]
    if isinstance(value, str) and len(value) > 3:
        assert value not in body["detail"]  # never echoes the submitted value
    assert sandbox.jobseekers() == []


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
    status, _, body = await sandbox.post("/v1/document-requests", payload)
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
    assert (await sandbox.post("/v1/document-requests", payload))[0] == 201
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
    status, _, body = await sandbox.post("/v1/document-requests", payload)
    assert status == 422
    assert body["error"] == "invalid_request"
    assert field in body["fields"]
    assert sandbox.document_requests() == []


def test_references_have_the_contract_format():
    for prefix in ("JS-", "DR-"):
        reference = new_reference(prefix)
        assert reference.startswith(prefix) and len(reference) == 11
        assert all(c.isupper() or c.isdigit() for c in reference[3:])

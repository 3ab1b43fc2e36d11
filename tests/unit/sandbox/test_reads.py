"""GET /v1/jobseekers, /v1/document-requests and /v1/offices over real HTTP."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.agency_support import document_request, national_number, registration


async def test_get_jobseeker_status_masks_the_national_number(sandbox):
    _, _, created = await sandbox.post("/v1/jobseekers", registration())
    status, body = await sandbox.get(f"/v1/jobseekers/{created['reference']}")
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
    _, _, created = await sandbox.post("/v1/document-requests", document_request())
    status, body = await sandbox.get(f"/v1/document-requests/{created['reference']}")
    assert status == 200
    assert (body["reference"], body["status"]) == (created["reference"], "received")
    assert body["document_type"] == "jobseeker_certificate"
    assert national_number(1) not in str(body)


async def test_unknown_references_are_404(sandbox):
    for path in ("/v1/jobseekers/JS-NOPE0000", "/v1/document-requests/DR-NOPE0000"):
        status, body = await sandbox.get(path)
        assert (status, body["error"]) == (404, "not_found")


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
    status, body = await sandbox.get("/v1/offices", params={"postcode": postcode})
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
    status, body = await sandbox.get("/v1/offices", params={"postcode": "0000"})
    assert (status, body["error"]) == (404, "not_found")
    for bad in ("12", "abcd", "10000"):
        status, body = await sandbox.get("/v1/offices", params={"postcode": bad})
        assert (status, body["error"]) == (422, "invalid_request")
    status, body = await sandbox.get("/v1/offices")
    assert status == 422


async def test_times_are_shown_in_utc(sandbox):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    _, _, created = await sandbox.post("/v1/jobseekers", registration())
    _, body = await sandbox.get(f"/v1/jobseekers/{created['reference']}")
    shown = datetime.strptime(body["created_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert before <= shown.replace(tzinfo=timezone.utc) <= datetime.now(timezone.utc)
    assert body["updated_at"] == body["created_at"] == created["created_at"]

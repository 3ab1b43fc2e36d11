"""AgencyClient against the real sandbox on loopback."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from bot.agency import (
    AgencyClient,
    AgencyError,
    AgencyRejected,
    AgencyUnavailable,
    AlreadyRegistered,
)
from bot.settings import load_settings
from tests.agency_support import (
    CLIENT_ID,
    document_request,
    make_client,
    national_number,
    registration,
    running_sandbox,
)


async def test_register_and_read_back(sandbox, agency_client):
    created = await agency_client.register_jobseeker(registration(postcode="4700"), "key-1")
    assert created["reference"].startswith("JS-")
    assert created["agency"] == "ADG"
    assert created["status"] == "registered"
    status = await agency_client.get_jobseeker(created["reference"])
    assert status is not None
    assert (status["reference"], status["status"]) == (created["reference"], "registered")
    assert await agency_client.get_jobseeker("JS-UNKNOWN0") is None


async def test_request_document_and_read_back(sandbox, agency_client):
    created = await agency_client.request_document(
        document_request(document_type="criminal_record_extract", delivery="post"), "doc-1"
    )
    assert created["reference"].startswith("DR-")
    assert (created["status"], created["expected_days"]) == ("received", 5)
    read = await agency_client.get_document_request(created["reference"])
    assert read is not None and read["status"] == "received"
    assert await agency_client.get_document_request("DR-UNKNOWN0") is None


@pytest.mark.parametrize(
    ("postcode", "agency"),
    [("2000", "VDAB"), ("1050", "Actiris"), ("4000", "Le Forem"), ("4700", "ADG")],
)
async def test_find_office(sandbox, agency_client, postcode, agency):
    office = await agency_client.find_office(postcode)
    assert office is not None
    assert office["agency"] == agency
    assert office["sandbox"] is True


async def test_find_office_unknown_and_malformed(sandbox, agency_client):
    assert await agency_client.find_office("0000") is None
    with pytest.raises(AgencyRejected) as caught:
        await agency_client.find_office("12")
    assert caught.value.status == 422


async def test_token_is_fetched_once_and_cached(sandbox, agency_client):
    await asyncio.gather(*(agency_client.find_office("9000") for _ in range(5)))
    await agency_client.get_jobseeker("JS-AAAAAAAA")
    assert await sandbox.counter("tokens_issued") == 1


async def test_token_refreshed_once_on_401(sandbox, agency_client):
    await agency_client.find_office("9000")
    await sandbox.revoke_tokens()  # the cached token is now unknown to the agency
    assert await agency_client.find_office("9000") is not None
    assert await sandbox.counter("tokens_issued") == 2


async def test_token_renewed_before_expiry(tmp_path):
    async with (
        running_sandbox(tmp_path / "s.db", token_lifetime_seconds=1) as sandbox,
        make_client(sandbox.base_url) as client,
    ):
        await client.find_office("9000")
        await client.find_office("9000")
        assert await sandbox.counter("tokens_issued") == 1
        await asyncio.sleep(0.6)  # past lifetime - margin (half of 1 s)
        await client.find_office("9000")
        assert await sandbox.counter("tokens_issued") == 2
        assert await sandbox.counter("GET /v1/offices") == 3  # never a 401 round trip


async def test_wrong_credentials_are_rejected_without_retry(sandbox):
    async with AgencyClient(sandbox.base_url, CLIENT_ID, "wrong", backoff_seconds=0.01) as client:
        with pytest.raises(AgencyRejected) as caught:
            await client.find_office("9000")
    assert (caught.value.status, caught.value.error) == (401, "invalid_client")
    assert await sandbox.counter("GET /v1/offices") == 0


async def test_retries_on_503_then_succeeds_with_one_record(sandbox, agency_client):
    await sandbox.faults(fail_next=2, status=503)
    created = await agency_client.register_jobseeker(registration(), "key-retry")
    assert created["reference"].startswith("JS-")
    assert await sandbox.counter("POST /v1/jobseekers") == 3
    assert [row.reference for row in sandbox.jobseekers()] == [created["reference"]]


async def test_unavailable_after_max_attempts(sandbox, agency_client):
    await sandbox.faults(fail_next=10, status=503)
    with pytest.raises(AgencyUnavailable) as caught:
        await agency_client.register_jobseeker(registration(), "key-down")
    assert caught.value.attempts == 3
    assert isinstance(caught.value, AgencyError)
    assert await sandbox.counter("POST /v1/jobseekers") == 3
    assert sandbox.jobseekers() == []


async def test_get_retries_on_500_too(sandbox, agency_client):
    await sandbox.faults(fail_next=1, status=500)
    assert await agency_client.find_office("9000") is not None
    assert await sandbox.counter("GET /v1/offices") == 2


async def test_4xx_is_never_retried(sandbox, agency_client):
    with pytest.raises(AgencyRejected) as caught:
        await agency_client.register_jobseeker(registration(phone="0470"), "key-bad")
    assert caught.value.status == 422
    assert caught.value.error == "invalid_request"
    assert "phone" in caught.value.detail
    assert await sandbox.counter("POST /v1/jobseekers") == 1


async def test_already_registered_carries_the_reference(sandbox, agency_client):
    first = await agency_client.register_jobseeker(registration(), "key-a")
    with pytest.raises(AlreadyRegistered) as caught:
        await agency_client.register_jobseeker(registration(phone="+32470000000"), "key-b")
    assert caught.value.reference == first["reference"]
    assert await sandbox.counter("POST /v1/jobseekers") == 2


async def test_slow_answer_times_out_and_the_retry_gets_the_same_record(sandbox):
    async with make_client(sandbox.base_url, timeout_seconds=0.3) as client:
        await client.find_office("9000")  # token first, so only the POST is slow
        await sandbox.faults(delay_seconds=0.9, delay_next=1)
        created = await client.register_jobseeker(registration(), "key-slow")
    # The first attempt was processed but answered too late; the retry, with the same
    # Idempotency-Key, got the stored answer: one record, the same reference.
    assert await sandbox.counter("POST /v1/jobseekers") == 2
    assert await sandbox.counter("idempotent_replays") == 1
    assert [row.reference for row in sandbox.jobseekers()] == [created["reference"]]


async def test_always_slow_gives_unavailable(sandbox):
    async with make_client(sandbox.base_url, timeout_seconds=0.1, max_attempts=2) as client:
        await client.find_office("9000")
        await sandbox.faults(delay_seconds=0.3, delay_next=5)
        with pytest.raises(AgencyUnavailable) as caught:
            await client.find_office("9000")
    assert caught.value.reason == "timeout"


async def test_connection_refused_gives_unavailable():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends: nobody listens
    async with make_client(f"http://127.0.0.1:{port}", max_attempts=2) as client:
        with pytest.raises(AgencyUnavailable) as caught:
            await client.get_jobseeker("JS-AAAAAAAA")
    assert caught.value.reason.startswith("connection")


async def test_post_needs_an_idempotency_key(agency_client):
    with pytest.raises(ValueError):
        await agency_client.register_jobseeker(registration(), "")


async def test_logs_have_no_personal_data(sandbox, agency_client, caplog):
    caplog.set_level(logging.DEBUG)
    payload = registration(serial=42, email="secret.person@example.org", phone="+32470987654")
    await sandbox.faults(fail_next=1, status=503)
    await agency_client.register_jobseeker(payload, "key-log")
    with pytest.raises(AlreadyRegistered):
        await agency_client.register_jobseeker(payload, "key-log-2")
    text = caplog.text
    assert "POST /v1/jobseekers -> 503 attempt=1/3" in text
    assert "POST /v1/jobseekers -> 201 attempt=2/3" in text
    assert "duration_ms=" in text
    for secret in (
        national_number(42),
        "secret.person@example.org",
        "+32470987654",
        "Peeters",
        "test-secret",
    ):
        assert secret not in text


async def test_close_and_reuse(sandbox):
    client = make_client(sandbox.base_url)
    assert await client.find_office("9000") is not None
    await client.close()
    await client.close()  # twice is fine
    assert "test-secret" not in repr(client)


def test_from_settings(monkeypatch):
    monkeypatch.setenv("AGENCY_API_URL", "https://agency.example:9999/")
    monkeypatch.setenv("AGENCY_TIMEOUT_SECONDS", "2.5")
    monkeypatch.setenv("AGENCY_MAX_ATTEMPTS", "4")
    client = AgencyClient.from_settings(load_settings())
    assert client.base_url == "https://agency.example:9999"
    assert (client.timeout_seconds, client.max_attempts) == (2.5, 4)
    assert AgencyClient.from_settings(load_settings(), backoff_seconds=0).backoff_seconds == 0

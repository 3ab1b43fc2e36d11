"""Idempotency-Key over real HTTP: one record per key, its first answer replayed."""

from __future__ import annotations

from tests.agency_support import document_request, registration


async def test_same_key_same_body_replays_byte_identically(sandbox):
    first = await sandbox.post("/v1/jobseekers", registration(), key="same")
    second = await sandbox.post("/v1/jobseekers", registration(), key="same")
    assert first[0] == second[0] == 201
    assert first[1] == second[1]  # the raw bytes
    assert len(sandbox.jobseekers()) == 1
    assert await sandbox.counter("idempotent_replays") == 1


async def test_same_key_other_body_is_refused(sandbox):
    assert (await sandbox.post("/v1/jobseekers", registration(), key="k"))[0] == 201
    status, _, body = await sandbox.post("/v1/jobseekers", registration(2), key="k")
    assert status == 422
    assert body["error"] == "idempotency_key_reused"
    assert len(sandbox.jobseekers()) == 1


async def test_same_key_on_another_endpoint_is_refused(sandbox):
    assert (await sandbox.post("/v1/jobseekers", registration(), key="k"))[0] == 201
    status, _, body = await sandbox.post("/v1/document-requests", document_request(), key="k")
    assert (status, body["error"]) == (422, "idempotency_key_reused")


async def test_missing_idempotency_key(sandbox):
    status, _, body = await sandbox.post("/v1/jobseekers", registration(), key=None)
    assert (status, body["error"]) == (400, "missing_idempotency_key")
    status, _, body = await sandbox.post("/v1/document-requests", document_request(), key=None)
    assert (status, body["error"]) == (400, "missing_idempotency_key")
    assert sandbox.jobseekers() == []


async def test_validation_is_not_stored_under_the_key(sandbox):
    bad = registration(phone="nope")
    assert (await sandbox.post("/v1/jobseekers", bad, key="k"))[0] == 422
    assert sandbox.idempotency_keys() == []


async def test_document_request_idempotent_replay(sandbox):
    first = await sandbox.post("/v1/document-requests", document_request(), key="d")
    second = await sandbox.post("/v1/document-requests", document_request(), key="d")
    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert len(sandbox.document_requests()) == 1

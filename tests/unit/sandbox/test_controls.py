"""The test controls (/_sandbox/...): faults, statuses, health; JSON errors everywhere."""

from __future__ import annotations

import time

from tests.agency_support import document_request, registration


async def test_sandbox_can_change_statuses(sandbox):
    _, _, js = await sandbox.post("/v1/jobseekers", registration(), key="a")
    _, _, dr = await sandbox.post("/v1/document-requests", document_request(), key="b")
    for kind, ref, new in (
        ("jobseekers", js["reference"], "active"),
        ("document-requests", dr["reference"], "ready"),
    ):
        async with sandbox.http.patch(
            f"{sandbox.base_url}/_sandbox/{kind}/{ref}", json={"status": new}
        ) as response:
            assert response.status == 200
            assert (await response.json())["status"] == new
        status, body = await sandbox.get(f"/v1/{kind}/{ref}")
        assert (status, body["status"]) == (200, new)
    async with sandbox.http.patch(
        f"{sandbox.base_url}/_sandbox/jobseekers/JS-NOPE0000", json={"status": "active"}
    ) as response:
        assert response.status == 404
    async with sandbox.http.patch(
        f"{sandbox.base_url}/_sandbox/jobseekers/{js['reference']}", json={"status": ""}
    ) as response:
        assert response.status == 422


async def test_fail_next_then_recover(sandbox):
    await sandbox.faults(fail_next=2, status=503)
    headers = await sandbox.auth()  # /oauth/token is not affected
    for _ in range(2):
        status, body = await sandbox.get("/v1/offices", headers, {"postcode": "9000"})
        assert status == 503
        assert body["error"] == "service_unavailable"
    assert (await sandbox.get("/v1/offices", headers, {"postcode": "9000"}))[0] == 200


async def test_failed_calls_have_no_effect_and_reset_clears_faults(sandbox):
    await sandbox.faults(fail_next=5, status=500)
    assert (await sandbox.post("/v1/jobseekers", registration()))[0] == 500
    assert sandbox.jobseekers() == []
    await sandbox.reset_faults()
    assert (await sandbox.health())["faults"]["fail_next"] == 0
    assert (await sandbox.post("/v1/jobseekers", registration()))[0] == 201


async def test_delay_slows_the_next_calls(sandbox):
    await sandbox.faults(delay_seconds=0.4, delay_next=1)
    headers = await sandbox.auth()
    started = time.monotonic()
    assert (await sandbox.get("/v1/offices", headers, {"postcode": "9000"}))[0] == 200
    assert time.monotonic() - started >= 0.4
    started = time.monotonic()
    assert (await sandbox.get("/v1/offices", headers, {"postcode": "9000"}))[0] == 200
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

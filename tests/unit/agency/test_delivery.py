"""deliver_pending() against the real sandbox: each row once, backoff, early stop."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.agency import deliver_pending, submit
from bot.db import utc_now
from tests.agency_support import make_client, make_outbox, outbox_rows, registration


async def test_concurrent_deliver_pending_delivers_each_row_once(sandbox, agency_client, outbox):
    await sandbox.faults(fail_next=3 * 5, status=503)
    for serial in range(1, 6):
        outcome = await submit(
            agency_client, outbox, "jobseeker", registration(serial), f"k{serial}", "c"
        )
        assert outcome.status == "queued"
    await sandbox.reset_faults()
    async with make_client(sandbox.base_url) as other:
        results = await asyncio.gather(
            deliver_pending(agency_client, outbox),
            deliver_pending(other, outbox),
            deliver_pending(agency_client, outbox),
        )
    assert sum(results) == 5
    assert len(sandbox.jobseekers()) == 5
    assert {row.status for row in outbox_rows(outbox)} == {"delivered"}
    assert await sandbox.counter("POST /v1/jobseekers") == 15 + 5  # each row sent once
    assert await sandbox.counter("idempotent_replays") == 0


async def test_deliver_pending_from_several_threads(sandbox, outbox, tmp_path):
    for serial in range(1, 7):
        outbox.add("jobseeker", registration(serial), f"t{serial}", "c")

    def worker() -> int:
        async def run() -> int:
            async with make_client(sandbox.base_url) as client:
                return await deliver_pending(client, outbox)

        return asyncio.run(run())

    results = await asyncio.gather(*(asyncio.to_thread(worker) for _ in range(3)))
    assert sum(results) == 6
    assert len(sandbox.jobseekers()) == 6
    assert await sandbox.counter("POST /v1/jobseekers") == 6


async def test_deliver_pending_stops_early_when_unavailable(sandbox, agency_client, outbox):
    for serial in range(1, 4):
        outbox.add("jobseeker", registration(serial), f"s{serial}", "c")
    await sandbox.faults(fail_next=100, status=503)
    assert await deliver_pending(agency_client, outbox) == 0
    assert await sandbox.counter("POST /v1/jobseekers") == 3  # one row's attempts, not nine
    assert [row.attempts for row in outbox_rows(outbox)] == [1, 0, 0]


async def test_deliver_pending_respects_limit_and_backoff(sandbox, agency_client, tmp_path):
    outbox = make_outbox(tmp_path / "backoff.db", retry_base_seconds=60)
    outbox.add("jobseeker", registration(1), "b1", "c")
    outbox.add("jobseeker", registration(2), "b2", "c")
    await sandbox.faults(fail_next=3, status=503)
    assert await deliver_pending(agency_client, outbox, limit=1) == 0
    failed = outbox_rows(outbox)[0]
    assert failed.last_error == "unavailable"
    record = outbox.find_by_reference(failed.local_reference)
    assert record is not None
    assert record.next_attempt_at >= utc_now() + timedelta(seconds=55)
    # the failed row is not due; the other one is
    assert outbox.due() == [outbox_rows(outbox)[1].local_reference]
    assert await deliver_pending(agency_client, outbox) == 1
    assert [row.status for row in outbox_rows(outbox)] == ["pending", "delivered"]

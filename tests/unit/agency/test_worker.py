"""The outbox worker in the background, against the real sandbox."""

from __future__ import annotations

import asyncio

from bot.agency import AgencyClient, OutboxWorker, deliver_pending, submit
from tests.agency_support import (
    make_client,
    make_outbox,
    national_number,
    outbox_rows,
    registration,
)


async def wait_until(condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_worker_delivers_in_the_background(sandbox, outbox):
    await sandbox.faults(fail_next=3, status=503)
    async with make_client(sandbox.base_url) as client:
        queued = await submit(client, outbox, "jobseeker", registration(), "bg", "c")
    assert queued.status == "queued"
    await sandbox.reset_faults()

    created: list[AgencyClient] = []

    def factory() -> AgencyClient:
        created.append(make_client(sandbox.base_url))
        return created[-1]

    worker = OutboxWorker(factory, outbox, poll_seconds=0.05)
    worker.start()
    worker.start()  # idempotent
    assert worker.running
    await wait_until(lambda: not outbox.find_by_reference(queued.reference).waiting)
    await worker.stop()
    assert not worker.running
    record = outbox.find_by_reference(queued.reference)
    assert record is not None and record.status == "delivered"
    assert record.reference.startswith("JS-")
    assert len(created) == 1 and created[0]._session is None  # closed on stop
    assert len(sandbox.jobseekers()) == 1
    await worker.stop()  # stopping twice is harmless


async def test_worker_survives_a_failing_round_and_wakes_up(sandbox, tmp_path, caplog):
    outbox = make_outbox(tmp_path / "w.db", retry_base_seconds=0)
    calls: list[str] = []

    class Broken:
        async def register_jobseeker(self, payload, key):
            calls.append(key)
            raise RuntimeError(payload["national_number"])  # must not reach the logs

        async def close(self):
            calls.append("closed")

    outbox.add("jobseeker", registration(), "w", "c")
    worker = OutboxWorker(Broken, outbox, poll_seconds=30)
    worker.start()
    await wait_until(lambda: worker.rounds == 1)
    assert worker.running
    worker.wake()  # no need to wait for the 30 s poll
    await wait_until(lambda: worker.rounds == 2)
    await asyncio.wait_for(worker.stop(), 5)
    assert calls == ["w", "w", "closed"]
    (row,) = outbox_rows(outbox)
    assert (row.status, row.last_error, row.attempts) == ("pending", "runtimeerror", 2)
    assert row.claimed_until is None  # released for the next round
    assert national_number(1) not in caplog.text


async def test_the_worker_leaves_a_fresh_row_to_the_process_that_wrote_it(
    sandbox, agency_client, tmp_path
):
    """Without the grace the worker could deliver first, and `submit` would say "queued"."""
    outbox = make_outbox(tmp_path / "grace.db", fresh_grace_seconds=60.0)
    record, created = outbox.add("jobseeker", registration(), "grace-key", "conv-grace")
    assert created
    assert await deliver_pending(agency_client, outbox) == 0
    assert sandbox.jobseekers() == []
    outcome = await submit(
        agency_client, outbox, "jobseeker", registration(), "grace-key", "conv-grace"
    )
    assert outcome.status == "submitted"
    assert outcome.local_reference == record.local_reference

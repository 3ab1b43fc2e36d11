"""The durable outbox and submit()/deliver_pending() against the real sandbox."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.agency import (
    AgencyClient,
    OutboxWorker,
    SubmissionOutcome,
    deliver_pending,
    idempotency_key_for,
    submit,
)
from bot.agency.outbox import PERSONAL_FIELDS, _utcnow
from tests.conftest_agency import (
    CLIENT_ID,
    document_request,
    make_client,
    make_outbox,
    national_number,
    outbox_rows,
    registration,
)

pytest_plugins = ["tests.conftest_agency"]


async def wait_until(condition, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_submit_delivers_right_away(sandbox, agency_client, outbox):
    outcome = await submit(agency_client, outbox, "jobseeker", registration(), "key-1", "conv-1")
    assert outcome.status == "submitted"
    assert outcome.reference.startswith("JS-")
    assert outcome.response["agency"] == "VDAB"
    assert outcome.error is None
    assert outcome.local_reference.startswith("Q-")
    (row,) = outbox_rows(outbox)
    assert (row.status, row.attempts, row.agency_reference) == ("delivered", 1, outcome.reference)
    assert row.conversation_id == "conv-1"
    assert row.kind == "jobseeker"
    assert row.claimed_until is None and row.next_attempt_at is None
    assert row.response["reference"] == outcome.reference
    # personal data leaves the outbox once the agency has it
    assert not PERSONAL_FIELDS & set(row.payload)
    assert row.payload["postcode"] == "9000"
    assert [js.reference for js in sandbox.jobseekers()] == [outcome.reference]


async def test_document_request_submission(sandbox, agency_client, outbox):
    payload = document_request(document_type="household_composition", delivery="post", email=None)
    outcome = await submit(agency_client, outbox, "document_request", payload, "doc-1", "conv")
    assert outcome.status == "submitted"
    assert outcome.reference.startswith("DR-")
    assert outcome.response["expected_days"] == 4
    assert len(sandbox.document_requests()) == 1


async def test_queued_while_agency_fails_then_delivered_exactly_once(
    sandbox, agency_client, outbox
):
    await sandbox.faults(fail_next=3, status=503)  # every attempt of the client fails
    outcome = await submit(agency_client, outbox, "jobseeker", registration(), "key-q", "conv")
    assert outcome == SubmissionOutcome(
        "queued",
        outcome.local_reference,
        {"local_reference": outcome.local_reference, "status": "pending"},
        "unavailable",
        outcome.local_reference,
    )
    assert outcome.reference.startswith("Q-") and len(outcome.reference) == 10
    assert sandbox.jobseekers() == []
    record = outbox.find_by_reference(outcome.reference)
    assert record is not None and record.waiting and record.reference == outcome.reference

    await sandbox.reset_faults()
    assert await deliver_pending(agency_client, outbox) == 1
    assert await deliver_pending(agency_client, outbox) == 0  # nothing left

    (js,) = sandbox.jobseekers()
    (row,) = outbox_rows(outbox)
    assert (row.status, row.agency_reference, row.attempts) == ("delivered", js.reference, 2)
    assert row.last_error is None
    # the status check finds it by either reference
    by_local = outbox.find_by_reference(outcome.reference.lower())
    by_agency = outbox.find_by_reference(js.reference)
    assert by_local == by_agency
    assert by_local is not None and not by_local.waiting and by_local.reference == js.reference
    # 3 failed attempts + 1 delivery; no replay was even needed
    assert await sandbox.counter("POST /v1/jobseekers") == 4


async def test_double_submit_same_key_is_one_row_and_one_record(sandbox, agency_client, outbox):
    first = await submit(agency_client, outbox, "jobseeker", registration(), "yes", "conv")
    second = await submit(agency_client, outbox, "jobseeker", registration(), "yes", "conv")
    assert first == second
    assert first.status == "submitted"
    assert len(outbox_rows(outbox)) == 1
    assert len(sandbox.jobseekers()) == 1
    assert await sandbox.counter("POST /v1/jobseekers") == 1  # answered from the outbox


async def test_concurrent_double_submit(sandbox, agency_client, outbox):
    outcomes = await asyncio.gather(
        *(submit(agency_client, outbox, "jobseeker", registration(), "tap", "c") for _ in range(3))
    )
    assert len(outbox_rows(outbox)) == 1
    assert len(sandbox.jobseekers()) == 1
    assert {o.local_reference for o in outcomes} == {outcomes[0].local_reference}
    assert {o.status for o in outcomes} <= {"submitted", "queued"}
    assert await sandbox.counter("POST /v1/jobseekers") == 1


async def test_submit_again_after_queueing_retries_with_the_same_key(
    sandbox, agency_client, outbox
):
    await sandbox.faults(fail_next=3, status=503)
    queued = await submit(agency_client, outbox, "jobseeker", registration(), "again", "c")
    assert queued.status == "queued"
    submitted = await submit(agency_client, outbox, "jobseeker", registration(), "again", "c")
    assert submitted.status == "submitted"
    assert submitted.local_reference == queued.local_reference
    assert len(sandbox.jobseekers()) == 1 and len(outbox_rows(outbox)) == 1


async def test_already_registered_outcome(sandbox, agency_client, outbox):
    first = await submit(agency_client, outbox, "jobseeker", registration(), "k1", "c1")
    again = registration(phone="+32470111222")
    second = await submit(agency_client, outbox, "jobseeker", again, "k2", "c2")
    assert second.status == "already_registered"
    assert second.reference == first.reference
    assert second.error == "already_registered"
    row = outbox_rows(outbox)[1]
    assert (row.status, row.last_error, row.agency_reference) == (
        "rejected",
        "already_registered",
        first.reference,
    )
    assert len(sandbox.jobseekers()) == 1


async def test_rejected_outcome_keeps_only_an_error_code(sandbox, agency_client, outbox):
    bad = registration(phone="0470 12 34 56")
    outcome = await submit(agency_client, outbox, "jobseeker", bad, "bad", "c")
    assert outcome.status == "rejected"
    assert outcome.error == "invalid_request"
    assert outcome.reference.startswith("Q-")
    assert "phone" in outcome.response["fields"]
    (row,) = outbox_rows(outbox)
    assert (row.status, row.last_error) == ("rejected", "invalid_request")
    assert "0470" not in str(row.response) and "phone" not in row.payload
    assert await deliver_pending(agency_client, outbox) == 0  # final: never sent again


async def test_credential_problems_keep_the_row_pending(sandbox, outbox):
    async with AgencyClient(sandbox.base_url, CLIENT_ID, "wrong", backoff_seconds=0.01) as bad:
        outcome = await submit(bad, outbox, "jobseeker", registration(), "creds", "c")
    assert (outcome.status, outcome.error) == ("queued", "http_401")
    async with make_client(sandbox.base_url) as good:
        assert await deliver_pending(good, outbox) == 1
    assert outbox_rows(outbox)[0].status == "delivered"


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
    assert failed.next_attempt_at >= _utcnow() + timedelta(seconds=55)
    # the failed row is not due; the other one is
    assert outbox.due() == [outbox_rows(outbox)[1].local_reference]
    assert await deliver_pending(agency_client, outbox) == 1
    assert [row.status for row in outbox_rows(outbox)] == ["pending", "delivered"]


def test_leases(outbox):
    record, created = outbox.add("jobseeker", registration(), "lease", "c")
    assert created
    lease = outbox.claim(record.local_reference)
    assert lease is not None and lease.attempts == 1
    assert lease.payload["national_number"] == national_number(1)
    assert outbox.claim(record.local_reference) is None  # leased
    assert outbox.due() == []
    assert outbox.claim(record.local_reference, due_only=False) is None


def test_expired_lease_can_be_taken_over_and_fences_the_old_holder(tmp_path):
    outbox = make_outbox(tmp_path / "o.db", lease_seconds=-1)  # leases expire at once
    record, _ = outbox.add("jobseeker", registration(), "fence", "c")
    stale = outbox.claim(record.local_reference)
    fresh = outbox.claim(record.local_reference)
    assert stale is not None and fresh is not None and fresh.attempts == 2
    delivered = outbox.mark_delivered(fresh, "JS-AAAAAAAA", {"reference": "JS-AAAAAAAA"})
    assert delivered.status == "delivered"
    # the stale holder cannot overwrite the result
    after = outbox.mark_failed(stale, "unavailable")
    assert (after.status, after.agency_reference) == ("delivered", "JS-AAAAAAAA")


def test_add_is_idempotent_and_checks_its_input(outbox):
    first, created = outbox.add("jobseeker", registration(), "same", "c")
    second, created_again = outbox.add("jobseeker", registration(), "same", "c")
    assert created and not created_again
    assert first.local_reference == second.local_reference
    with pytest.raises(ValueError):
        outbox.add("document_request", document_request(), "same", "c")
    with pytest.raises(ValueError):
        outbox.add("parcel", {}, "other", "c")
    with pytest.raises(ValueError):
        outbox.add("jobseeker", registration(), "", "c")
    with pytest.raises(TypeError):
        outbox.add("jobseeker", {"when": object()}, "x", "c")
    assert len(outbox_rows(outbox)) == 1


def test_find_by_reference_and_conversation(outbox):
    a, _ = outbox.add("jobseeker", registration(1), "fa", "conv-a")
    b, _ = outbox.add("document_request", document_request(2), "fb", "conv-a")
    outbox.add("jobseeker", registration(3), "fc", "conv-b")
    found = outbox.find_by_reference(f"  {a.local_reference.lower()} ")
    assert found is not None and found.local_reference == a.local_reference
    assert found.waiting and found.kind == "jobseeker"
    assert outbox.find_by_reference("Q-NOTHERE") is None
    assert outbox.find_by_reference("") is None
    assert outbox.find_by_idempotency_key("fb") == b
    assert {r.local_reference for r in outbox.find_by_conversation("conv-a")} == {
        a.local_reference,
        b.local_reference,
    }
    assert outbox.pending_count() == 3


def test_idempotency_key_for():
    one = idempotency_key_for("conv", "jobseeker", registration())
    assert one == idempotency_key_for("conv", "jobseeker", dict(reversed(registration().items())))
    assert one != idempotency_key_for("conv", "jobseeker", registration(phone="+32470000001"))
    assert one != idempotency_key_for("other", "jobseeker", registration())
    assert one.startswith("jobseeker-") and len(one) <= 255
    assert national_number(1) not in one


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

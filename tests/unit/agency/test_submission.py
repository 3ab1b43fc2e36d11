"""submit() against the real sandbox: durable first, then delivered; the idempotency key."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.submit import ActionSubmitDocumentRequest, ActionSubmitRegistration
from bot import runtime
from bot.agency import AgencyClient, SubmissionOutcome, deliver_pending, idempotency_key_for, submit
from bot.agency.outbox import PERSONAL_FIELDS
from bot.tasks.documents import document_payload
from bot.tasks.registration import registration_payload
from tests.agency_support import (
    CLIENT_ID,
    document_request,
    make_client,
    national_number,
    outbox_rows,
    registration,
)


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


def test_idempotency_key_for():
    one = idempotency_key_for("conv", "jobseeker", registration())
    assert one == idempotency_key_for("conv", "jobseeker", dict(reversed(registration().items())))
    assert one != idempotency_key_for("conv", "jobseeker", registration(phone="+32470000001"))
    assert one != idempotency_key_for("other", "jobseeker", registration())
    assert one.startswith("jobseeker-") and len(one) <= 255
    assert national_number(1) not in one


# Keys as production has made them since the first release: rows queued since carry them,
# so the formula behind `idempotency_key_for` must never change.
PINNED_KEYS = [
    ("conv-1", "jobseeker", registration(), "jobseeker-4cc8304e4f725a6321eaf8e64d797cb68ce06789"),
    ("conv-1", "document", document_request(), "document-254a0ab197db9ab7d4f6c2f0042de9fe28c26a37"),
    (
        "conv-ü",
        "jobseeker",
        {"given_name": "Zoë", "family_name": "Ñúñez", "birth_date": "1990-01-01", "email": None},
        "jobseeker-3e875f0a0557314971a8dca01efcc8c9797ba4e7",
    ),
]


@pytest.mark.parametrize(("conversation", "kind", "payload", "key"), PINNED_KEYS)
def test_idempotency_keys_never_change(conversation, kind, payload, key):
    assert idempotency_key_for(conversation, kind, payload) == key


# The slots of a citizen who confirmed both summaries: the registration's answers and a
# document request by e-mail.
CONFIRMED_SLOTS = {
    **registration(5),
    "document_type": "jobseeker_certificate",
    "delivery": "email",
    "registration_confirmed": True,
    "document_confirmed": True,
}


@pytest.mark.parametrize(
    ("action", "kind", "label", "payload_of"),
    [
        (ActionSubmitRegistration, "jobseeker", "jobseeker", registration_payload),
        (ActionSubmitDocumentRequest, "document_request", "document", document_payload),
    ],
)
async def test_the_submit_actions_send_under_idempotency_key_for(
    sandbox, agency_client, outbox, monkeypatch, action, kind, label, payload_of
):
    """Production derives its key with the function tested above, and with nothing else."""
    monkeypatch.setattr(runtime, "outbox", lambda: outbox)
    monkeypatch.setattr(runtime, "agency_client", lambda: agency_client)
    current = Tracker(
        "citizen-key", dict(CONFIRMED_SLOTS), {}, [], False, None, None, "action_listen"
    )
    await action().run(CollectingDispatcher(), current, {})
    (row,) = outbox_rows(outbox)
    assert (row.kind, row.status, row.conversation_id) == (kind, "delivered", "citizen-key")
    payload = payload_of(CONFIRMED_SLOTS, "nl")
    assert row.idempotency_key == idempotency_key_for("citizen-key", label, payload)

"""The outbox table's API: adding, leases and their fence, finding submissions."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.db import as_utc, utc_now
from tests.agency_support import (
    document_request,
    make_outbox,
    national_number,
    outbox_rows,
    registration,
)


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


def test_times_are_timezone_aware_utc(outbox):
    before = utc_now()
    record, _ = outbox.add("jobseeker", registration(), "tz", "conv-tz")
    assert before <= record.created_at <= utc_now()
    for moment in (record.created_at, record.updated_at, record.next_attempt_at):
        assert moment.utcoffset() == timedelta(0)
    lease = outbox.claim(record.local_reference)
    assert lease is not None and lease.claimed_until.utcoffset() == timedelta(0)
    failed = outbox.mark_failed(lease, "unavailable")
    assert failed.next_attempt_at.utcoffset() == timedelta(0)
    assert failed.next_attempt_at >= failed.updated_at >= record.created_at
    # read back from the database (SQLite returns naive values): the same instants, in UTC
    (found,) = outbox.find_by_conversation("conv-tz")
    assert (found.created_at, found.next_attempt_at) == (record.created_at, failed.next_attempt_at)
    assert found.created_at.tzinfo is timezone.utc


def test_as_utc():
    brussels = timezone(timedelta(hours=2))
    assert as_utc(None) is None
    assert as_utc(datetime(2024, 5, 1, 9, 30)) == datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
    converted = as_utc(datetime(2024, 5, 1, 11, 30, tzinfo=brussels))
    assert converted == datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
    assert converted.tzinfo is timezone.utc

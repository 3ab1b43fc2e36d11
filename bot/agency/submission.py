"""Submitting a registration or a document request: durable first, then delivered.

    outcome = await submit(client, outbox, "jobseeker", payload, key, sender_id)
    outcome.status     # submitted | queued | already_registered | rejected
    outcome.reference  # the agency's reference, or the local Q- reference while queued

Calling submit() again with the same idempotency key (the citizen says "yes" twice, the
action is retried) never creates a second row nor a second record at the agency: the row
is found by its key, and the agency replays its first answer for the same key.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from bot.agency.delivery import deliver
from bot.agency.outbox import Outbox
from bot.agency.records import SubmissionRecord

__all__ = ["SubmissionOutcome", "idempotency_key_for", "outcome_of", "submit"]


@dataclass(frozen=True)
class SubmissionOutcome:
    status: str  # "submitted" | "queued" | "already_registered" | "rejected"
    reference: str  # agency reference; the local Q- reference while queued (or if rejected)
    response: dict = field(default_factory=dict)
    error: str | None = None  # an error code, never personal data
    local_reference: str = ""


def idempotency_key_for(conversation_id: str, kind: str, payload: dict) -> str:
    """A key that is stable for the same conversation, kind and content.

    Repeating the same confirmed form gives the same key (no duplicate); correcting a field
    and confirming again gives a new one (a new submission). `kind` is only a label here
    (the actions say "jobseeker" and "document").

    Rows already in the outbox carry keys made by this exact formula: changing it would
    let a repeated "yes" submit twice, so it never changes.
    """
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(f"{conversation_id}|{kind}|{canonical}".encode()).hexdigest()
    return f"{kind}-{digest[:40]}"


def outcome_of(record: SubmissionRecord) -> SubmissionOutcome:
    """What to tell the citizen about a row of the outbox."""
    if record.status == "delivered":
        return SubmissionOutcome(
            "submitted",
            record.agency_reference or record.local_reference,
            record.response or {},
            None,
            record.local_reference,
        )
    if record.status == "rejected":
        if record.last_error == "already_registered":
            return SubmissionOutcome(
                "already_registered",
                record.agency_reference or "",
                record.response or {},
                "already_registered",
                record.local_reference,
            )
        return SubmissionOutcome(
            "rejected",
            record.local_reference,
            record.response or {},
            record.last_error,
            record.local_reference,
        )
    return SubmissionOutcome(
        "queued",
        record.local_reference,
        {"local_reference": record.local_reference, "status": "pending"},
        record.last_error,
        record.local_reference,
    )


async def submit(
    client: Any,
    outbox: Outbox,
    kind: str,
    payload: dict,
    idempotency_key: str,
    conversation_id: str | None,
) -> SubmissionOutcome:
    """Write the row (durable), then try to deliver it right away.

    An already final row is answered from the database without calling the agency. A row
    being delivered by someone else right now (the worker) is reported as queued."""
    record, _created = await asyncio.to_thread(
        outbox.add, kind, payload, idempotency_key, conversation_id
    )
    if record.status != "pending":
        return outcome_of(record)
    lease = await asyncio.to_thread(outbox.claim, record.local_reference, due_only=False)
    if lease is None:
        record = await asyncio.to_thread(outbox.find_by_reference, record.local_reference)
        # bandit B101: Invariant for the type checker, not a check of input.
        assert record is not None  # nosec B101
        return outcome_of(record)
    return outcome_of(await deliver(client, outbox, lease))

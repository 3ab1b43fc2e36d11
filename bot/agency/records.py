"""What the outbox hands out: snapshots of its rows and leases, with UTC-aware times.

Every time of the outbox is timezone-aware UTC in Python, as everywhere in the project.
SQLite gives stored times back naive; they are UTC too, and :func:`as_utc` says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.agency.models import OutboxSubmission
from bot.db import as_utc


@dataclass(frozen=True)
class SubmissionRecord:
    """A snapshot of one outbox row, without its payload (personal data stays in the DB)."""

    local_reference: str
    kind: str
    status: str  # pending | delivered | rejected
    conversation_id: str | None
    attempts: int
    last_error: str | None
    agency_reference: str | None
    response: dict | None
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime | None

    @property
    def waiting(self) -> bool:
        """True while the submission is waiting to be sent to the agency."""
        return self.status == "pending"

    @property
    def reference(self) -> str:
        """The agency's reference once known, else the local Q- reference."""
        return self.agency_reference or self.local_reference


@dataclass(frozen=True)
class Lease:
    """A claimed row: what a worker needs to send it, and the fence to finish it."""

    local_reference: str
    kind: str
    idempotency_key: str
    payload: dict
    attempts: int
    claimed_until: datetime


def record_of(row: OutboxSubmission) -> SubmissionRecord:
    return SubmissionRecord(
        local_reference=row.local_reference,
        kind=row.kind,
        status=row.status,
        conversation_id=row.conversation_id,
        attempts=row.attempts,
        last_error=row.last_error,
        agency_reference=row.agency_reference,
        response=row.response,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        next_attempt_at=as_utc(row.next_attempt_at),
    )

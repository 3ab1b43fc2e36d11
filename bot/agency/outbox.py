"""Durable outbox: every submission is a row before it is a request.

* :class:`Outbox` is the table's API (synchronous SQLAlchemy, short transactions); its
  read side is :class:`bot.agency.queries.OutboxQueries`. The delivery functions
  (`bot.agency.delivery`) run it in a worker thread so the event loop never waits on the
  database.
* Claims are leases: `claimed_until` is set by a compare-and-set UPDATE, so two workers
  (tasks, threads or processes) never send the same row at the same time, and a worker that
  died only holds its rows until the lease runs out. Finishing is fenced by the lease value.
* The agency sees the row's Idempotency-Key on every attempt: exactly one record there.
* Times are timezone-aware UTC (see `bot.agency.records`).

Logs carry local references, kinds, statuses and error codes only; never a payload.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import string
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.agency.models import KINDS, OutboxSubmission
from bot.agency.queries import OutboxQueries, is_due, is_free
from bot.agency.records import Lease, SubmissionRecord, record_of
from bot.agency.retry import retry_delay
from bot.db import session_scope, utc_now

log = logging.getLogger(__name__)

REFERENCE_ALPHABET = string.ascii_uppercase + string.digits
# Payload fields dropped once a row is final (delivered or rejected): data minimisation.
PERSONAL_FIELDS = frozenset(
    {"national_number", "given_name", "family_name", "birth_date", "phone", "email"}
)


def _new_local_reference() -> str:
    return "Q-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _error_code(value: str) -> str:
    code = re.sub(r"[^a-z0-9_]+", "_", str(value).lower()).strip("_")
    return (code or "error")[:64]


def _redacted(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k not in PERSONAL_FIELDS}


class Outbox(OutboxQueries):
    """The `outbox_submissions` table.

    `lease_seconds` must exceed the longest delivery (client attempts x timeout + backoff).
    A row that failed is due again after `retry_base_seconds * 2**(attempts-1)`, at most
    `retry_max_seconds`; rows stay pending until the agency answers for good.
    """

    def __init__(
        self,
        session_factory: sessionmaker,
        *,
        lease_seconds: float = 300.0,
        retry_base_seconds: float = 30.0,
        retry_max_seconds: float = 3600.0,
        fresh_grace_seconds: float = 60.0,
    ) -> None:
        self.session_factory = session_factory
        self.lease_seconds = lease_seconds
        # A new row is delivered at once by the process that wrote it (`submit`); the
        # worker only takes it over after this grace, e.g. when that process died.
        # Without it the worker could claim the row first and the citizen would be told
        # "queued" while the agency is up.
        self.fresh_grace_seconds = fresh_grace_seconds
        self.retry_base_seconds = retry_base_seconds
        self.retry_max_seconds = retry_max_seconds

    def add(
        self, kind: str, payload: dict, idempotency_key: str, conversation_id: str | None
    ) -> tuple[SubmissionRecord, bool]:
        """Store a submission (durably) unless its idempotency key is known already.

        Returns the row and whether it was created now."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if not idempotency_key or len(idempotency_key) > 255:
            raise ValueError("idempotency_key must be 1 to 255 characters")
        if not isinstance(payload, dict):
            raise TypeError("payload must be a dict")
        stored_payload = json.loads(json.dumps(payload))  # JSON-safe copy, fails early
        for _ in range(5):
            try:
                with session_scope(self.session_factory) as session:
                    existing = session.execute(
                        select(OutboxSubmission).where(
                            OutboxSubmission.idempotency_key == idempotency_key
                        )
                    ).scalar_one_or_none()
                    if existing is not None:
                        if existing.kind != kind:
                            raise ValueError("idempotency_key already used for another kind")
                        return record_of(existing), False
                    now = utc_now()
                    row = OutboxSubmission(
                        local_reference=_new_local_reference(),
                        kind=kind,
                        idempotency_key=idempotency_key,
                        payload=stored_payload,
                        conversation_id=conversation_id,
                        status="pending",
                        attempts=0,
                        created_at=now,
                        updated_at=now,
                        next_attempt_at=now + timedelta(seconds=self.fresh_grace_seconds),
                    )
                    session.add(row)
                    session.flush()
                    record = record_of(row)
                log.info("outbox %s queued (%s)", record.local_reference, kind)
                return record, True
            except IntegrityError:
                # The same key added concurrently (the next round finds it) or, very
                # rarely, a local reference collision (the next round draws another).
                continue
        raise RuntimeError("could not store the submission")

    def claim(self, local_reference: str, *, due_only: bool = True) -> Lease | None:
        """Take the lease of a pending row, or None if it is final, leased or not due."""
        now = utc_now()
        until = now + timedelta(seconds=self.lease_seconds)
        conditions = [
            OutboxSubmission.local_reference == local_reference,
            OutboxSubmission.status == "pending",
            is_free(now),
        ]
        if due_only:
            conditions.append(is_due(now))
        with session_scope(self.session_factory) as session:
            result = session.execute(
                update(OutboxSubmission)
                .where(*conditions)
                .values(
                    claimed_until=until,
                    attempts=OutboxSubmission.attempts + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return None
            row = session.execute(
                select(OutboxSubmission).where(OutboxSubmission.local_reference == local_reference)
            ).scalar_one()
            return Lease(
                local_reference=row.local_reference,
                kind=row.kind,
                idempotency_key=row.idempotency_key,
                payload=dict(row.payload),
                attempts=row.attempts,
                claimed_until=until,
            )

    def mark_delivered(
        self, lease: Lease, agency_reference: str | None, response: dict
    ) -> SubmissionRecord:
        return self._finish(
            lease,
            status="delivered",
            agency_reference=agency_reference,
            response=response,
            last_error=None,
        )

    def mark_rejected(
        self, lease: Lease, error: str, response: dict, agency_reference: str | None = None
    ) -> SubmissionRecord:
        return self._finish(
            lease,
            status="rejected",
            agency_reference=agency_reference,
            response=response,
            last_error=_error_code(error),
        )

    def mark_failed(self, lease: Lease, error: str) -> SubmissionRecord:
        """The attempt failed but may succeed later: release the lease, back off."""
        now = utc_now()
        delay = retry_delay(lease.attempts, self.retry_base_seconds, self.retry_max_seconds)
        return self._update_leased(
            lease,
            claimed_until=None,
            next_attempt_at=now + timedelta(seconds=delay),
            last_error=_error_code(error),
            updated_at=now,
        )

    def _finish(self, lease: Lease, *, status: str, **values: Any) -> SubmissionRecord:
        return self._update_leased(
            lease,
            status=status,
            payload=_redacted(lease.payload),
            claimed_until=None,
            next_attempt_at=None,
            updated_at=utc_now(),
            **values,
        )

    def _update_leased(self, lease: Lease, **values: Any) -> SubmissionRecord:
        with session_scope(self.session_factory) as session:
            result = session.execute(
                update(OutboxSubmission)
                .where(
                    OutboxSubmission.local_reference == lease.local_reference,
                    OutboxSubmission.status == "pending",
                    OutboxSubmission.claimed_until == lease.claimed_until,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                # The lease ran out and another worker took over: its result stands (the
                # agency gave both the same answer, thanks to the Idempotency-Key).
                log.warning("outbox %s: lease lost, result not recorded", lease.local_reference)
            row = session.execute(
                select(OutboxSubmission).where(
                    OutboxSubmission.local_reference == lease.local_reference
                )
            ).scalar_one()
            return record_of(row)

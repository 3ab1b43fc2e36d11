"""Reading the outbox: due rows, and submissions by reference, key or conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from bot.agency.models import OutboxSubmission
from bot.agency.records import SubmissionRecord, record_of
from bot.db import session_scope, utc_now


def is_due(now: datetime) -> ColumnElement:
    """Rows waiting for no backoff any more (a SQL condition)."""
    return or_(OutboxSubmission.next_attempt_at.is_(None), OutboxSubmission.next_attempt_at <= now)


def is_free(now: datetime) -> ColumnElement:
    """Rows nobody holds a lease on (a SQL condition)."""
    return or_(OutboxSubmission.claimed_until.is_(None), OutboxSubmission.claimed_until < now)


class OutboxQueries:
    """The read side of :class:`bot.agency.outbox.Outbox` (short transactions)."""

    session_factory: sessionmaker

    def due(self, limit: int = 50) -> list[str]:
        """Local references of pending rows that are due and not leased, oldest first."""
        now = utc_now()
        with session_scope(self.session_factory) as session:
            return list(
                session.execute(
                    select(OutboxSubmission.local_reference)
                    .where(OutboxSubmission.status == "pending", is_due(now), is_free(now))
                    .order_by(OutboxSubmission.next_attempt_at, OutboxSubmission.id)
                    .limit(limit)
                ).scalars()
            )

    def find_by_reference(self, reference: str) -> SubmissionRecord | None:
        """By local reference (Q-XXXXXXXX) or by the agency's reference (JS-/DR-...)."""
        reference = (reference or "").strip()
        if not reference:
            return None
        candidates = {reference, reference.upper()}
        with session_scope(self.session_factory) as session:
            row = (
                session.execute(
                    select(OutboxSubmission)
                    .where(
                        or_(
                            OutboxSubmission.local_reference.in_(candidates),
                            OutboxSubmission.agency_reference.in_(candidates),
                        )
                    )
                    .order_by(OutboxSubmission.id.desc())
                )
                .scalars()
                .first()
            )
            return None if row is None else record_of(row)

    def find_by_idempotency_key(self, idempotency_key: str) -> SubmissionRecord | None:
        with session_scope(self.session_factory) as session:
            row = session.execute(
                select(OutboxSubmission).where(OutboxSubmission.idempotency_key == idempotency_key)
            ).scalar_one_or_none()
            return None if row is None else record_of(row)

    def find_by_conversation(self, conversation_id: str) -> list[SubmissionRecord]:
        """The submissions of one conversation (sender id), newest first."""
        with session_scope(self.session_factory) as session:
            rows = session.execute(
                select(OutboxSubmission)
                .where(OutboxSubmission.conversation_id == conversation_id)
                .order_by(OutboxSubmission.created_at.desc(), OutboxSubmission.id.desc())
            ).scalars()
            return [record_of(row) for row in rows]

    def pending_count(self) -> int:
        with session_scope(self.session_factory) as session:
            return session.execute(
                select(func.count(OutboxSubmission.id)).where(OutboxSubmission.status == "pending")
            ).scalar_one()

"""Rows of the assistant's database for the forget-me and retention tests.

A helper module, not a test module: it writes handoff requests with their messages and
outbox records the way the assistant writes them, and reads back what is left.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from bot.agency.models import OutboxSubmission
from bot.audit import AuditEvent, record_audit_event
from bot.db import session_scope, utc_now
from bot.handoff.models import CLOSED, HandoffMessage, HandoffRequest

PERSONAL_PAYLOAD = {
    "national_number": "85073003328",
    "given_name": "Jan",
    "family_name": "Peeters",
    "postcode": "9000",
}


def ago(days: float) -> datetime:
    return utc_now() - timedelta(days=days)


def add_handoff(
    factory: sessionmaker,
    conversation_id: str,
    *,
    status: str = CLOSED,
    closed_days_ago: float | None = 1,
    messages: int = 2,
) -> int:
    """A handoff request with `messages` messages (the citizen's first); its id."""
    with session_scope(factory) as session:
        closed_at = None if closed_days_ago is None else ago(closed_days_ago)
        request = HandoffRequest(
            conversation_id=conversation_id,
            channel="rest",
            language="nl",
            reason="asked",
            status=status,
            created_at=ago((closed_days_ago or 0) + 1),
            closed_at=closed_at,
        )
        session.add(request)
        session.flush()
        for index in range(messages):
            direction = "citizen" if index % 2 == 0 else "counsellor"
            text = "mijn rijksregisternummer is 85073003328" if index == 0 else "Dank u."
            session.add(HandoffMessage(handoff_id=request.id, direction=direction, text=text))
        record_audit_event(
            session,
            actor="assistant",
            action="handoff_requested",
            conversation_id=conversation_id,
            detail={"reason": "asked"},
        )
        return request.id


def add_outbox(
    factory: sessionmaker, conversation_id: str, *, status: str, days_ago: float = 1
) -> str:
    """An outbox record last changed `days_ago`; its local reference."""
    reference = f"Q-{uuid.uuid4().hex[:8].upper()}"
    at = ago(days_ago)
    with session_scope(factory) as session:
        session.add(
            OutboxSubmission(
                local_reference=reference,
                kind="jobseeker",
                idempotency_key=f"jobseeker-{uuid.uuid4().hex}",
                payload=dict(PERSONAL_PAYLOAD) if status == "pending" else {"postcode": "9000"},
                conversation_id=conversation_id,
                status=status,
                attempts=1,
                created_at=at,
                updated_at=at,
                # A pending record waits for its next try (not due during the test).
                next_attempt_at=utc_now() + timedelta(days=1) if status == "pending" else None,
            )
        )
    return reference


def handoff_ids(factory: sessionmaker, conversation_id: str | None = None) -> list[int]:
    query = select(HandoffRequest.id).order_by(HandoffRequest.id)
    if conversation_id is not None:
        query = query.where(HandoffRequest.conversation_id == conversation_id)
    with session_scope(factory) as session:
        return list(session.execute(query).scalars())


def message_count(factory: sessionmaker, request_ids: list[int]) -> int:
    with session_scope(factory) as session:
        found = session.execute(
            select(HandoffMessage.id).where(HandoffMessage.handoff_id.in_(request_ids))
        )
        return len(found.all())


def outbox_rows(factory: sessionmaker) -> dict[str, tuple[str, str | None]]:
    """local reference -> (status, conversation id)."""
    with session_scope(factory) as session:
        rows = session.execute(
            select(
                OutboxSubmission.local_reference,
                OutboxSubmission.status,
                OutboxSubmission.conversation_id,
            )
        )
        return {reference: (status, conversation) for reference, status, conversation in rows}


def audit_rows(factory: sessionmaker, action: str | None = None) -> list[dict]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    with session_scope(factory) as session:
        return [
            {
                "actor": row.actor,
                "action": row.action,
                "conversation_id": row.conversation_id,
                "detail": json.loads(row.detail or "{}"),
            }
            for row in session.execute(query).scalars()
        ]

"""Counsellor actions on a handoff, in the audit trail: ids, states and outcomes only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.audit import record_audit_event
from bot.db import session_scope
from bot.handoff.models import HandoffRequest


def record_counsellor_action(
    session: Session, request_id: int, counsellor_id: int, action: str, **extra
) -> None:
    """Add `action` by the counsellor on the request to the caller's transaction.

    `extra` goes into the detail with the request id: it must hold no personal data.
    """
    conversation_id = session.execute(
        select(HandoffRequest.conversation_id).where(HandoffRequest.id == request_id)
    ).scalar_one_or_none()
    record_audit_event(
        session,
        actor=f"counsellor:{counsellor_id}",
        action=action,
        conversation_id=conversation_id,
        detail={"request_id": request_id, **extra},
    )


def record_reveal(factory: sessionmaker, request_id: int, counsellor_id: int, field: str) -> None:
    """The counsellor saw one personal field in clear: which field, never its value."""
    with session_scope(factory) as session:
        record_counsellor_action(
            session, request_id, counsellor_id, "personal_data_revealed", field=field
        )

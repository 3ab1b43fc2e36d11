"""The state machine: waiting -> active -> (handed_back | closed).

Every transition is one conditional UPDATE, so concurrent callers cannot both win.
"""

from __future__ import annotations

from sqlalchemy import exists, update
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts.models import User
from bot.accounts.roles import COUNSELLOR_ROLES
from bot.audit import record_audit_event
from bot.db import session_scope, utc_now
from bot.handoff.audit import record_counsellor_action
from bot.handoff.models import (
    ACTIVE,
    CLOSED,
    HANDED_BACK,
    OUTCOMES,
    REASONS,
    WAITING,
    HandoffRequest,
)
from bot.handoff.queries import open_request


def request_handoff(
    factory: sessionmaker,
    conversation_id: str,
    channel: str,
    language: str,
    reason: str,
    agency: str | None = None,
) -> tuple[HandoffRequest, bool]:
    """Record that this conversation waits for a counsellor; (request, newly created)."""
    with session_scope(factory) as session:
        existing = open_request(session, conversation_id)
        if existing is not None:
            return existing, False
        request = HandoffRequest(
            conversation_id=conversation_id,
            channel=channel or "unknown",
            language=language,
            reason=reason if reason in REASONS else "asked",
            status=WAITING,
            agency=agency,
        )
        session.add(request)
        session.flush()
        record_audit_event(
            session,
            actor="assistant",
            action="handoff_requested",
            conversation_id=conversation_id,
            detail={"reason": request.reason},
        )
        return request, True


def take(factory: sessionmaker, request_id: int, counsellor_id: int) -> bool:
    """The counsellor takes a waiting request. Exclusive: one conditional UPDATE.

    The UPDATE is the transaction's first statement (no read before it), so on SQLite the
    write lock is taken at once and on PostgreSQL a concurrent taker re-checks the WHERE
    after the first commits: exactly one caller gets True.
    """
    now = utc_now()
    counsellor_ok = exists().where(
        User.id == counsellor_id, User.active.is_(True), User.role.in_(COUNSELLOR_ROLES)
    )
    with session_scope(factory) as session:
        result = session.execute(
            update(HandoffRequest)
            .where(HandoffRequest.id == request_id, HandoffRequest.status == WAITING)
            .where(counsellor_ok)
            .values(status=ACTIVE, counsellor_id=counsellor_id, taken_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
        record_counsellor_action(session, request_id, counsellor_id, "handoff_taken")
        return True


def hand_back(factory: sessionmaker, request_id: int, counsellor_id: int) -> bool:
    """The holder gives the conversation back to the assistant."""
    now = utc_now()
    with session_scope(factory) as session:
        if not touch_held(session, request_id, counsellor_id, status=HANDED_BACK, closed_at=now):
            return False
        record_counsellor_action(session, request_id, counsellor_id, "handoff_handed_back")
        return True


def close(factory: sessionmaker, request_id: int, counsellor_id: int, outcome: str) -> bool:
    """The holder closes the conversation with an outcome from OUTCOMES."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    now = utc_now()
    with session_scope(factory) as session:
        if not touch_held(
            session, request_id, counsellor_id, status=CLOSED, closed_at=now, outcome=outcome
        ):
            return False
        record_counsellor_action(
            session, request_id, counsellor_id, "handoff_closed", outcome=outcome
        )
        return True


def touch_held(session: Session, request_id: int, counsellor_id: int, **values) -> bool:
    """Update the request only if this counsellor holds it; whether they did.

    Guard and write lock in one statement. Sets `values`, and `updated_at` to now unless
    `values` gives it.
    """
    result = session.execute(
        update(HandoffRequest)
        .where(
            HandoffRequest.id == request_id,
            HandoffRequest.status == ACTIVE,
            HandoffRequest.counsellor_id == counsellor_id,
        )
        .values(**{"updated_at": utc_now(), **values})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1

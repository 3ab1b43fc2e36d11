"""Handoff requests: a citizen waiting for a counsellor.

The console that serves them is a later piece; the request is recorded here so that
nothing is lost and every Rasa/action server instance sees the same queue.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Integer, String, select
from sqlalchemy.orm import Session, sessionmaker

from bot.audit import record_audit_event
from bot.db import Base, session_scope

WAITING = "waiting"
REASONS = ("asked", "misunderstood", "agency_rejected", "already_registered")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), index=True)
    channel = Column(String(32))
    language = Column(String(8))
    reason = Column(String(32))
    status = Column(String(16), default=WAITING, index=True)
    created_at = Column(DateTime(timezone=True), default=_now)
    updated_at = Column(DateTime(timezone=True), default=_now)


def open_request(session: Session, conversation_id: str) -> HandoffRequest | None:
    return session.execute(
        select(HandoffRequest).where(
            HandoffRequest.conversation_id == conversation_id, HandoffRequest.status == WAITING
        )
    ).scalar_one_or_none()


def request_handoff(
    factory: sessionmaker, conversation_id: str, channel: str, language: str, reason: str
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


def queue_position(factory: sessionmaker, request_id: int) -> int:
    """1 for the first in line."""
    with session_scope(factory) as session:
        waiting = (
            session.execute(
                select(HandoffRequest.id)
                .where(HandoffRequest.status == WAITING)
                .order_by(HandoffRequest.created_at, HandoffRequest.id)
            )
            .scalars()
            .all()
        )
        return waiting.index(request_id) + 1 if request_id in waiting else 0

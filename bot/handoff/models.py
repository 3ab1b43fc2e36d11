"""The handoff tables and the states a request goes through."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Text

from bot.accounts import models as _accounts  # noqa: F401  registers the FK's target table
from bot.db import Base, utc_now

WAITING = "waiting"
ACTIVE = "active"
HANDED_BACK = "handed_back"
CLOSED = "closed"
OUTCOMES = ("resolved", "referred", "no_answer", "other")
REASONS = ("asked", "misunderstood", "agency_rejected", "already_registered")


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), index=True)
    channel = Column(String(32))
    language = Column(String(8))
    reason = Column(String(32))
    status = Column(String(16), default=WAITING, index=True)
    created_at = Column(DateTime(timezone=True), default=utc_now)
    updated_at = Column(DateTime(timezone=True), default=utc_now)
    counsellor_id = Column(
        Integer,
        ForeignKey("users.id", name="fk_handoff_requests_counsellor_id_users"),
        nullable=True,
        index=True,
    )
    taken_at = Column(DateTime(timezone=True), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)
    outcome = Column(String(16), nullable=True)
    agency = Column(String(32), nullable=True)
    last_citizen_message_at = Column(DateTime(timezone=True), nullable=True)


class HandoffMessage(Base):
    __tablename__ = "handoff_messages"
    __table_args__ = (
        CheckConstraint(
            "direction IN ('counsellor', 'citizen', 'system')",
            name="ck_handoff_messages_direction",
        ),
    )

    id = Column(Integer, primary_key=True)
    handoff_id = Column(Integer, ForeignKey("handoff_requests.id"), nullable=False, index=True)
    direction = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    delivered_at = Column(DateTime(timezone=True), nullable=True)

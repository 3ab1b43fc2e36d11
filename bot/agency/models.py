"""The durable outbox of submissions to the agency (table `outbox_submissions`).

A row is written BEFORE anything is sent, so a crash, a timeout or an agency outage never
loses a citizen's registration or document request. The Idempotency-Key of the row is sent
on every attempt, which makes delivery exactly-once on the agency side. Times are stored
timezone-aware in UTC (`TIMESTAMP WITH TIME ZONE` on PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped

from bot.db import Base

KINDS = ("jobseeker", "document_request")
STATUSES = ("pending", "delivered", "rejected")


class OutboxSubmission(Base):
    __tablename__ = "outbox_submissions"
    __table_args__ = (Index("ix_outbox_submissions_due", "status", "next_attempt_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    local_reference: Mapped[str] = Column(String(16), unique=True, nullable=False)  # Q-XXXXXXXX
    kind: Mapped[str] = Column(String(32), nullable=False)
    idempotency_key: Mapped[str] = Column(String(255), unique=True, nullable=False)
    # The body to send. Personal fields are dropped once the agency has answered for good.
    payload: Mapped[dict] = Column(JSON, nullable=False)
    conversation_id: Mapped[str | None] = Column(String(255), nullable=True, index=True)
    status: Mapped[str] = Column(String(16), nullable=False, default="pending")
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = Column(String(64), nullable=True)  # a code, never PII
    agency_reference: Mapped[str | None] = Column(String(64), nullable=True, index=True)
    response: Mapped[dict | None] = Column(JSON, nullable=True)
    created_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = Column(DateTime(timezone=True), nullable=False)
    next_attempt_at: Mapped[datetime | None] = Column(DateTime(timezone=True), nullable=True)
    claimed_until: Mapped[datetime | None] = Column(DateTime(timezone=True), nullable=True)

"""The audit trail: who did what to which conversation, without personal data."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Column, DateTime, Integer, String, Text
from sqlalchemy.orm import Session

from bot.db import Base


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), default=lambda: datetime.now(timezone.utc), index=True)
    actor = Column(String(64))
    action = Column(String(64), index=True)
    conversation_id = Column(String(128), index=True, nullable=True)
    detail = Column(Text, default="{}")


def record_audit_event(
    session: Session,
    *,
    actor: str,
    action: str,
    conversation_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit event to the caller's transaction. `detail` must hold no personal data."""
    session.add(
        AuditEvent(
            actor=actor,
            action=action,
            conversation_id=conversation_id,
            detail=json.dumps(detail or {}, sort_keys=True),
        )
    )

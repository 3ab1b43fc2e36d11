"""Messages between the counsellor and the citizen, and their delivery to the citizen.

Counsellor messages wait in the database until the assistant delivers them (the console
asks Rasa to run `action_handoff_sync`; a retry loop asks again for the ones left).
Message texts are never audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql import Select

from bot.db import as_utc, session_scope, utc_now
from bot.handoff.audit import record_counsellor_action
from bot.handoff.models import HandoffMessage, HandoffRequest
from bot.handoff.queries import held_request, open_request
from bot.handoff.state import touch_held

MAX_MESSAGE_LENGTH = 2000


@dataclass(frozen=True)
class PendingMessage:
    id: int
    handoff_id: int
    text: str
    created_at: datetime


def _clean_text(text: str) -> str:
    cleaned = (text or "").strip()
    if not 1 <= len(cleaned) <= MAX_MESSAGE_LENGTH:
        raise ValueError(f"a message has 1 to {MAX_MESSAGE_LENGTH} characters")
    return cleaned


# --- writing ---------------------------------------------------------------------------


def add_counsellor_message(
    factory: sessionmaker, request_id: int, counsellor_id: int, text: str
) -> int | None:
    """Queue a counsellor's message for the citizen; its id, or None when not the holder.

    ValueError when the stripped text is empty or longer than MAX_MESSAGE_LENGTH.
    """
    cleaned = _clean_text(text)
    now = utc_now()
    with session_scope(factory) as session:
        # Guard and write lock in one statement: only the holder of an active request.
        if not touch_held(session, request_id, counsellor_id, updated_at=now):
            return None
        message = HandoffMessage(
            handoff_id=request_id, direction="counsellor", text=cleaned, created_at=now
        )
        session.add(message)
        session.flush()
        record_counsellor_action(
            session, request_id, counsellor_id, "handoff_message_sent", message_id=message.id
        )
        return message.id


def record_citizen_message(factory: sessionmaker, conversation_id: str, text: str) -> int | None:
    """Store a citizen's message for the counsellor holding the conversation; None when
    nobody holds it. Updates `last_citizen_message_at`. Not audited (it is content)."""
    return _store_citizen_message(factory, conversation_id, _clean_text(text), held_only=True)


def record_left_message(factory: sessionmaker, conversation_id: str, text: str) -> int | None:
    """Store the message a citizen leaves outside office hours on their open request.

    None when the conversation has no waiting or active request. Text longer than
    MAX_MESSAGE_LENGTH is cut, never refused: the citizen cannot be asked again."""
    cleaned = _clean_text((text or "").strip()[:MAX_MESSAGE_LENGTH])
    return _store_citizen_message(factory, conversation_id, cleaned, held_only=False)


def _store_citizen_message(
    factory: sessionmaker, conversation_id: str, cleaned: str, *, held_only: bool
) -> int | None:
    now = utc_now()
    with session_scope(factory) as session:
        find = held_request if held_only else open_request
        request = find(session, conversation_id)
        if request is None:
            return None
        request.last_citizen_message_at = now
        message = HandoffMessage(
            handoff_id=request.id, direction="citizen", text=cleaned, created_at=now
        )
        session.add(message)
        session.flush()
        return message.id


def mark_delivered(factory: sessionmaker, message_ids: Iterable[int]) -> int:
    """Mark these messages delivered (once); how many were newly marked."""
    ids = list(message_ids)
    if not ids:
        return 0
    with session_scope(factory) as session:
        result = session.execute(
            update(HandoffMessage)
            .where(and_(HandoffMessage.id.in_(ids), HandoffMessage.delivered_at.is_(None)))
            .values(delivered_at=utc_now())
            .execution_options(synchronize_session=False)
        )
        return result.rowcount


# --- reading ---------------------------------------------------------------------------


def conversation_messages(factory: sessionmaker, request_id: int) -> list[HandoffMessage]:
    """Every message of a handoff, oldest first (for the console)."""
    with session_scope(factory) as session:
        return list(
            session.execute(
                select(HandoffMessage)
                .where(HandoffMessage.handoff_id == request_id)
                .order_by(HandoffMessage.created_at, HandoffMessage.id)
            )
            .scalars()
            .all()
        )


def _undelivered(*columns) -> Select:
    """Counsellor messages not yet delivered to the citizen, joined to their request."""
    return (
        select(*columns)
        .select_from(HandoffMessage)
        .join(HandoffRequest, HandoffRequest.id == HandoffMessage.handoff_id)
        .where(
            HandoffMessage.direction == "counsellor",
            HandoffMessage.delivered_at.is_(None),
        )
    )


def undelivered_messages(factory: sessionmaker, conversation_id: str) -> list[PendingMessage]:
    """Counsellor messages of this conversation not yet delivered to the citizen, oldest first."""
    with session_scope(factory) as session:
        rows = session.execute(
            _undelivered(HandoffMessage)
            .where(HandoffRequest.conversation_id == conversation_id)
            .order_by(HandoffMessage.created_at, HandoffMessage.id)
        ).scalars()
        return [
            PendingMessage(
                id=row.id,
                handoff_id=row.handoff_id,
                text=row.text,
                created_at=as_utc(row.created_at),
            )
            for row in rows
        ]


def conversations_with_pending(factory: sessionmaker) -> list[str]:
    """The conversations with counsellor messages not yet delivered (for the retry loop)."""
    with session_scope(factory) as session:
        return list(
            session.execute(_undelivered(HandoffRequest.conversation_id).distinct()).scalars().all()
        )

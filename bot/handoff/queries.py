"""What the queue, the console and the actions read about handoff requests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts.models import ConsoleSession, User
from bot.accounts.roles import COUNSELLOR_ROLES
from bot.db import as_utc, session_scope, utc_now
from bot.handoff.models import ACTIVE, WAITING, HandoffRequest

# --- inside a caller's transaction -----------------------------------------------------


def open_request(session: Session, conversation_id: str) -> HandoffRequest | None:
    """The conversation's request that is waiting or held by a counsellor, if any."""
    return (
        session.execute(
            select(HandoffRequest)
            .where(
                HandoffRequest.conversation_id == conversation_id,
                HandoffRequest.status.in_((WAITING, ACTIVE)),
            )
            .order_by(HandoffRequest.id.desc())
        )
        .scalars()
        .first()
    )


def held_request(session: Session, conversation_id: str) -> HandoffRequest | None:
    """The conversation's request a counsellor holds (status active), if any."""
    return (
        session.execute(
            select(HandoffRequest)
            .where(
                HandoffRequest.conversation_id == conversation_id,
                HandoffRequest.status == ACTIVE,
            )
            .order_by(HandoffRequest.taken_at.desc(), HandoffRequest.id.desc())
        )
        .scalars()
        .first()
    )


# --- the queue -------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    id: int
    conversation_id: str
    channel: str
    language: str
    reason: str
    created_at: datetime
    wait_seconds: int
    agency: str | None = None


def _waiting(session: Session) -> list[HandoffRequest]:
    return list(
        session.execute(
            select(HandoffRequest)
            .where(HandoffRequest.status == WAITING)
            .order_by(HandoffRequest.created_at, HandoffRequest.id)
        )
        .scalars()
        .all()
    )


def queue_position(factory: sessionmaker, request_id: int) -> int:
    """1 for the first in line; 0 when the request is not waiting."""
    with session_scope(factory) as session:
        waiting = [row.id for row in _waiting(session)]
        return waiting.index(request_id) + 1 if request_id in waiting else 0


def waiting_queue(factory: sessionmaker, now: datetime | None = None) -> list[QueueItem]:
    """The waiting requests, oldest first."""
    now = now or utc_now()
    with session_scope(factory) as session:
        items = []
        for row in _waiting(session):
            created = as_utc(row.created_at)
            items.append(
                QueueItem(
                    id=row.id,
                    conversation_id=row.conversation_id,
                    channel=row.channel,
                    language=row.language,
                    reason=row.reason,
                    created_at=created,
                    wait_seconds=max(0, int((now - created).total_seconds())),
                    agency=row.agency,
                )
            )
        return items


def active_for(factory: sessionmaker, counsellor_id: int) -> list[HandoffRequest]:
    """The conversations this counsellor holds, oldest taken first."""
    with session_scope(factory) as session:
        return list(
            session.execute(
                select(HandoffRequest)
                .where(
                    HandoffRequest.status == ACTIVE, HandoffRequest.counsellor_id == counsellor_id
                )
                .order_by(HandoffRequest.taken_at, HandoffRequest.id)
            )
            .scalars()
            .all()
        )


def recent_requests(factory: sessionmaker, limit: int = 20) -> list[HandoffRequest]:
    """The latest requests that left the queue (held, handed back or closed), newest
    first: what an admin may open besides the queue."""
    with session_scope(factory) as session:
        return list(
            session.execute(
                select(HandoffRequest)
                .where(HandoffRequest.status != WAITING)
                .order_by(HandoffRequest.updated_at.desc(), HandoffRequest.id.desc())
                .limit(limit)
            )
            .scalars()
            .all()
        )


# --- one conversation ------------------------------------------------------------------


def holder_of(factory: sessionmaker, conversation_id: str) -> HandoffRequest | None:
    """The active request of this conversation (its counsellor is `counsellor_id`), or None."""
    with session_scope(factory) as session:
        return held_request(session, conversation_id)


def is_held(factory: sessionmaker, conversation_id: str) -> bool:
    return holder_of(factory, conversation_id) is not None


def get_request(factory: sessionmaker, request_id: int) -> HandoffRequest | None:
    with session_scope(factory) as session:
        return session.get(HandoffRequest, request_id)


def latest_request(factory: sessionmaker, conversation_id: str) -> HandoffRequest | None:
    """The conversation's most recent request, whatever its state."""
    with session_scope(factory) as session:
        return (
            session.execute(
                select(HandoffRequest)
                .where(HandoffRequest.conversation_id == conversation_id)
                .order_by(HandoffRequest.id.desc())
            )
            .scalars()
            .first()
        )


# --- counsellors -----------------------------------------------------------------------


def counsellor_name(factory: sessionmaker, counsellor_id: int | None) -> str:
    """What the citizen may call the counsellor: the display name, else the username."""
    if counsellor_id is None:
        return ""
    with session_scope(factory) as session:
        user = session.get(User, counsellor_id)
        if user is None:
            return ""
        return (user.display_name or "").strip() or user.username.capitalize()


def counsellors_online(factory: sessionmaker, within: timedelta = timedelta(minutes=10)) -> int:
    """Counsellors with a console session seen within `within` (for the wait estimate)."""
    since = utc_now() - within
    with session_scope(factory) as session:
        return len(
            set(
                session.execute(
                    select(ConsoleSession.user_id)
                    .join(User, User.id == ConsoleSession.user_id)
                    .where(
                        ConsoleSession.last_seen_at > since,
                        User.active.is_(True),
                        User.role.in_(COUNSELLOR_ROLES),
                    )
                )
                .scalars()
                .all()
            )
        )


# --- change detection for the console's live updates ------------------------------------


def queue_signature(factory: sessionmaker) -> str:
    """Changes whenever a request joins or leaves the queue or changes state."""
    with session_scope(factory) as session:
        rows = session.execute(
            select(HandoffRequest.id, HandoffRequest.status).where(
                HandoffRequest.status.in_((WAITING, ACTIVE))
            )
        ).all()
    return json.dumps(sorted([list(r) for r in rows]))


def conversation_signature(factory: sessionmaker, request_id: int) -> str:
    """Changes with the request's state and with every citizen message; "" when unknown."""
    with session_scope(factory) as session:
        row = session.get(HandoffRequest, request_id)
        if row is None:
            return ""
        stamp = row.last_citizen_message_at or row.updated_at
        return f"{row.status}|{stamp}"

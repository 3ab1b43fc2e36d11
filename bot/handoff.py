"""Handoff requests: a citizen waiting for a counsellor, and the counsellor serving them.

Every Rasa/action server and console instance sees the same queue because it lives in
the database. States: waiting -> active -> (handed_back | closed). Taking a request is a
single conditional UPDATE, so two counsellors can never hold the same conversation.
Audit events carry ids, states and outcomes only: never a message text.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    and_,
    exists,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from bot.audit import record_audit_event
from bot.console.auth import ConsoleSession, User  # also registers the FK's target
from bot.db import Base, session_scope

WAITING = "waiting"
ACTIVE = "active"
HANDED_BACK = "handed_back"
CLOSED = "closed"
STATUSES = (WAITING, ACTIVE, HANDED_BACK, CLOSED)
OUTCOMES = ("resolved", "referred", "no_answer", "other")
DIRECTIONS = ("counsellor", "citizen", "system")
MAX_MESSAGE_LENGTH = 2000
COUNSELLOR_ROLES = ("counsellor", "admin")
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
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    delivered_at = Column(DateTime(timezone=True), nullable=True)


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


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every stored datetime is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


# --- the state machine -----------------------------------------------------------------


def take(factory: sessionmaker, request_id: int, counsellor_id: int) -> bool:
    """The counsellor takes a waiting request. Exclusive: one conditional UPDATE.

    The UPDATE is the transaction's first statement (no read before it), so on SQLite the
    write lock is taken at once and on PostgreSQL a concurrent taker re-checks the WHERE
    after the first commits: exactly one caller gets True.
    """
    now = _now()
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
        _audit(session, request_id, counsellor_id, "handoff_taken")
        return True


def hand_back(factory: sessionmaker, request_id: int, counsellor_id: int) -> bool:
    """The holder gives the conversation back to the assistant."""
    now = _now()
    with session_scope(factory) as session:
        if not _finish(session, request_id, counsellor_id, status=HANDED_BACK, closed_at=now):
            return False
        _audit(session, request_id, counsellor_id, "handoff_handed_back")
        return True


def close(factory: sessionmaker, request_id: int, counsellor_id: int, outcome: str) -> bool:
    """The holder closes the conversation with an outcome from OUTCOMES."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}")
    now = _now()
    with session_scope(factory) as session:
        if not _finish(
            session, request_id, counsellor_id, status=CLOSED, closed_at=now, outcome=outcome
        ):
            return False
        _audit(session, request_id, counsellor_id, "handoff_closed", outcome=outcome)
        return True


def _finish(session: Session, request_id: int, counsellor_id: int, **values) -> bool:
    result = session.execute(
        update(HandoffRequest)
        .where(
            HandoffRequest.id == request_id,
            HandoffRequest.status == ACTIVE,
            HandoffRequest.counsellor_id == counsellor_id,
        )
        .values(updated_at=_now(), **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _audit(session: Session, request_id: int, counsellor_id: int, action: str, **extra) -> None:
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


# --- queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    id: int
    conversation_id: str
    channel: str
    language: str
    reason: str
    created_at: datetime
    wait_seconds: int


def waiting_queue(factory: sessionmaker, now: datetime | None = None) -> list[QueueItem]:
    """The waiting requests, oldest first."""
    now = now or _now()
    with session_scope(factory) as session:
        rows = (
            session.execute(
                select(HandoffRequest)
                .where(HandoffRequest.status == WAITING)
                .order_by(HandoffRequest.created_at, HandoffRequest.id)
            )
            .scalars()
            .all()
        )
        items = []
        for row in rows:
            created = _aware(row.created_at)
            items.append(
                QueueItem(
                    id=row.id,
                    conversation_id=row.conversation_id,
                    channel=row.channel,
                    language=row.language,
                    reason=row.reason,
                    created_at=created,
                    wait_seconds=max(0, int((now - created).total_seconds())),
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


def holder_of(factory: sessionmaker, conversation_id: str) -> HandoffRequest | None:
    """The active request of this conversation (its counsellor is `counsellor_id`), or None."""
    with session_scope(factory) as session:
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


def is_held(factory: sessionmaker, conversation_id: str) -> bool:
    return holder_of(factory, conversation_id) is not None


def get_request(factory: sessionmaker, request_id: int) -> HandoffRequest | None:
    with session_scope(factory) as session:
        return session.get(HandoffRequest, request_id)


# --- messages --------------------------------------------------------------------------


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


def add_counsellor_message(
    factory: sessionmaker, request_id: int, counsellor_id: int, text: str
) -> int | None:
    """Queue a counsellor's message for the citizen; its id, or None when not the holder.

    ValueError when the stripped text is empty or longer than MAX_MESSAGE_LENGTH.
    """
    cleaned = _clean_text(text)
    now = _now()
    with session_scope(factory) as session:
        # Guard and write lock in one statement: only the holder of an active request.
        held = session.execute(
            update(HandoffRequest)
            .where(
                HandoffRequest.id == request_id,
                HandoffRequest.status == ACTIVE,
                HandoffRequest.counsellor_id == counsellor_id,
            )
            .values(updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if held.rowcount != 1:
            return None
        message = HandoffMessage(
            handoff_id=request_id, direction="counsellor", text=cleaned, created_at=now
        )
        session.add(message)
        session.flush()
        _audit(session, request_id, counsellor_id, "handoff_message_sent", message_id=message.id)
        return message.id


def record_citizen_message(factory: sessionmaker, conversation_id: str, text: str) -> int | None:
    """Store a citizen's message for the counsellor holding the conversation; None when
    nobody holds it. Updates `last_citizen_message_at`. Not audited (it is content)."""
    cleaned = _clean_text(text)
    now = _now()
    with session_scope(factory) as session:
        request = (
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
        if request is None:
            return None
        request.last_citizen_message_at = now
        message = HandoffMessage(
            handoff_id=request.id, direction="citizen", text=cleaned, created_at=now
        )
        session.add(message)
        session.flush()
        return message.id


def record_left_message(factory: sessionmaker, conversation_id: str, text: str) -> int | None:
    """Store the message a citizen leaves outside office hours on their open request.

    None when the conversation has no waiting or active request. Text longer than
    MAX_MESSAGE_LENGTH is cut, never refused: the citizen cannot be asked again."""
    cleaned = _clean_text((text or "").strip()[:MAX_MESSAGE_LENGTH])
    now = _now()
    with session_scope(factory) as session:
        request = open_request(session, conversation_id)
        if request is None:
            return None
        request.last_citizen_message_at = now
        message = HandoffMessage(
            handoff_id=request.id, direction="citizen", text=cleaned, created_at=now
        )
        session.add(message)
        session.flush()
        return message.id


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
    since = _now() - within
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


def undelivered_messages(factory: sessionmaker, conversation_id: str) -> list[PendingMessage]:
    """Counsellor messages of this conversation not yet delivered to the citizen, oldest first."""
    with session_scope(factory) as session:
        rows = session.execute(
            select(HandoffMessage)
            .join(HandoffRequest, HandoffRequest.id == HandoffMessage.handoff_id)
            .where(
                HandoffRequest.conversation_id == conversation_id,
                HandoffMessage.direction == "counsellor",
                HandoffMessage.delivered_at.is_(None),
            )
            .order_by(HandoffMessage.created_at, HandoffMessage.id)
        ).scalars()
        return [
            PendingMessage(
                id=row.id,
                handoff_id=row.handoff_id,
                text=row.text,
                created_at=_aware(row.created_at),
            )
            for row in rows
        ]


def mark_delivered(factory: sessionmaker, message_ids: Iterable[int]) -> int:
    """Mark these messages delivered (once); how many were newly marked."""
    ids = list(message_ids)
    if not ids:
        return 0
    with session_scope(factory) as session:
        result = session.execute(
            update(HandoffMessage)
            .where(and_(HandoffMessage.id.in_(ids), HandoffMessage.delivered_at.is_(None)))
            .values(delivered_at=_now())
            .execution_options(synchronize_session=False)
        )
        return result.rowcount


# --- waiting time ----------------------------------------------------------------------


def estimated_wait_minutes(
    factory: sessionmaker,
    request_id: int,
    minutes_per_conversation: int = 8,
    counsellors_online: int = 1,
) -> int:
    """Rough wait: the rounds of conversations before this one, times their length.

    0 when the request is not waiting. Position 1 with one counsellor online waits one
    conversation (the counsellor is assumed busy).
    """
    position = queue_position(factory, request_id)
    if position == 0:
        return 0
    rounds = math.ceil(position / max(1, counsellors_online))
    return rounds * max(0, minutes_per_conversation)


# --- office hours ----------------------------------------------------------------------

OFFICE_TIMEZONE = "Europe/Brussels"
OFFICE_HOURS_ENV = "HANDOFF_OFFICE_HOURS"
AGENCIES = ("VDAB", "Actiris", "Le Forem", "ADG")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_DAY = ("09:00", "17:00")
DEFAULT_WEEK: dict[str, tuple[str, str]] = {day: DEFAULT_DAY for day in WEEKDAYS[:5]}

Schedule = dict[int, tuple[time, time]]  # weekday (0 = Monday) -> (opens, closes)


def office_timezone() -> ZoneInfo:
    return ZoneInfo(OFFICE_TIMEZONE)


def _agency_key(agency: str | None) -> str:
    return (agency or "").strip().casefold().replace("é", "e")


def _parse_week(raw: dict, where: str) -> Schedule:
    if not isinstance(raw, dict):
        raise ValueError(f"{OFFICE_HOURS_ENV}: {where} must map days to [opens, closes]")
    week: Schedule = {}
    for day, hours in raw.items():
        day_key = str(day).strip().lower()[:3]
        if day_key not in WEEKDAYS:
            raise ValueError(f"{OFFICE_HOURS_ENV}: {where}: unknown day {day!r}")
        if hours in (None, [], "closed"):
            continue
        try:
            opens, closes = (time.fromisoformat(str(value)) for value in hours)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f'{OFFICE_HOURS_ENV}: {where}.{day_key} must be ["HH:MM", "HH:MM"]'
            ) from error
        if opens >= closes:
            raise ValueError(f"{OFFICE_HOURS_ENV}: {where}.{day_key} closes before it opens")
        week[WEEKDAYS.index(day_key)] = (opens, closes)
    return week


def office_schedules(raw_json: str | None = None) -> dict[str, Schedule]:
    """Schedules by agency key ('' is the default), from the defaults and HANDOFF_OFFICE_HOURS.

    An agency in the JSON replaces that agency's whole week (days left out are closed);
    the key "default" replaces the schedule used for agency=None and unknown agencies.
    """
    raw_json = os.environ.get(OFFICE_HOURS_ENV, "") if raw_json is None else raw_json
    schedules = {"": _parse_week(DEFAULT_WEEK, "default")}
    for agency in AGENCIES:
        schedules[_agency_key(agency)] = _parse_week(DEFAULT_WEEK, agency)
    if raw_json.strip():
        try:
            overrides = json.loads(raw_json)
        except json.JSONDecodeError as error:
            raise ValueError(f"{OFFICE_HOURS_ENV} is not valid JSON: {error}") from error
        if not isinstance(overrides, dict):
            raise ValueError(f"{OFFICE_HOURS_ENV} must be a JSON object of agencies")
        for agency, week in overrides.items():
            key = "" if _agency_key(agency) == "default" else _agency_key(agency)
            schedules[key] = _parse_week(week, str(agency))
    return schedules


def _schedule_for(agency: str | None) -> Schedule:
    schedules = office_schedules()
    return schedules.get(_agency_key(agency), schedules[""])


def _local(now: datetime) -> datetime:
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(office_timezone())


END_OF_DAY = time(23, 59)


def office_hours_open(now: datetime, agency: str | None = None) -> bool:
    """Whether counsellors of `agency` work at `now` (naive datetimes are taken as UTC).

    Public holidays are not known yet.
    """
    local = _local(now)
    hours = _schedule_for(agency).get(local.weekday())
    if hours is None:
        return False
    start, end = hours
    moment = local.time().replace(tzinfo=None)
    if end == END_OF_DAY:  # "until 23:59" means until midnight, its last minute included
        return start <= moment
    return start <= moment < end


def next_opening(now: datetime, agency: str | None = None) -> datetime:
    """`now` when open, else the next opening time (Europe/Brussels, timezone-aware)."""
    local = _local(now)
    if office_hours_open(local, agency):
        return local
    schedule = _schedule_for(agency)
    if not schedule:
        raise ValueError(f"no office hours are configured for {agency or 'the default'}")
    zone = office_timezone()
    for offset in range(8):
        day: date = local.date() + timedelta(days=offset)
        hours = schedule.get(day.weekday())
        if hours is None:
            continue
        opening = datetime.combine(day, hours[0], tzinfo=zone)
        if opening > local:
            return opening
    raise AssertionError("unreachable: a configured week always opens within 8 days")

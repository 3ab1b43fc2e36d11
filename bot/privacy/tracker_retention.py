"""Retention in Rasa's tracker store: old conversations and old sessions are deleted.

Rules (see README, "Privacy and security"): a conversation idle for longer than the
retention period is deleted whole; in a conversation still in use, the sessions that
ended before the cutoff are deleted, never the current session.

The action server and the CLI read Rasa's `events` table without importing Rasa: the table
is declared again with the columns Rasa 3.6's `SQLTrackerStore.SQLEvent` has. Only
`sender_id`, `type_name`, `action_name` and `timestamp` are read, never `data` (the
events themselves, where the personal data is).

A conversation is a sequence of sessions. Rasa starts a session with these events, in
this order (see actions/privacy.py):

    slot session_started_metadata   (only when the message had metadata)
    action action_session_start
    bot ...                         (the privacy notice)
    session_started
    slot ... (carried over), action action_listen

so a session begins at its `action_session_start` (with the metadata slot just before
it), and a `session_started` without one (a tracker made by Rasa's API) begins one too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, func, inspect, select
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)

SESSION_START_ACTION = "action_session_start"
SESSION_STARTED = "session_started"
METADATA_SLOT = "session_started_metadata"


@dataclass(frozen=True)
class StoredEvent:
    """What retention reads of one stored event: never its content."""

    id: int
    type_name: str
    action_name: str | None
    timestamp: float | None


@dataclass(frozen=True)
class Session:
    """One session of a conversation: its events' ids, first to last, and its last time."""

    first_id: int
    last_id: int
    size: int
    ended_at: float | None


def _is_session_start_action(event: StoredEvent) -> bool:
    return event.type_name == "action" and event.action_name == SESSION_START_ACTION


def _is_metadata_slot(event: StoredEvent) -> bool:
    return event.type_name == "slot" and event.action_name == METADATA_SLOT


def session_starts(events: Sequence[StoredEvent]) -> list[int]:
    """The positions in `events` (ordered by id) where a session begins."""
    starts: list[int] = []
    starting = False  # between an action_session_start and its session_started
    for index, event in enumerate(events):
        if _is_session_start_action(event):
            before = index - 1
            starts.append(before if before >= 0 and _is_metadata_slot(events[before]) else index)
            starting = True
        elif event.type_name == SESSION_STARTED:
            if not starting:
                starts.append(index)
            starting = False
    return starts


def sessions_of(events: Sequence[StoredEvent]) -> list[Session]:
    """The sessions of one conversation, oldest first; events before the first session
    start (an old or hand-made tracker) count as a session of their own."""
    if not events:
        return []
    bounds = sorted({start for start in session_starts(events) if start > 0})
    spans = zip([0, *bounds], [*bounds, len(events)], strict=True)
    sessions = []
    for begin, end in spans:
        part = events[begin:end]
        times = [event.timestamp for event in part if event.timestamp is not None]
        sessions.append(Session(part[0].id, part[-1].id, len(part), max(times, default=None)))
    return sessions


def ended_sessions(events: Sequence[StoredEvent], cutoff: float) -> list[Session]:
    """The sessions that ended before `cutoff`, never the current (latest) one."""
    sessions = sessions_of(events)[:-1]
    return [s for s in sessions if s.ended_at is not None and s.ended_at < cutoff]


@dataclass(frozen=True)
class TrackerPurge:
    """What retention deleted (or, in a dry run, would delete) in the tracker store."""

    conversations: int = 0  # idle conversations deleted whole
    sessions: int = 0  # ended sessions deleted in conversations still in use
    events: int = 0  # events deleted in all


def _idle_conversations(cutoff: float):
    return (
        select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(func.max(EVENTS.c.timestamp) < cutoff)
    )


def _older_conversations(cutoff: float):
    """Conversations in use since the cutoff that have events from before it."""
    return (
        select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(func.min(EVENTS.c.timestamp) < cutoff)
        .having(func.max(EVENTS.c.timestamp) >= cutoff)
    )


def _stored_events(connection: Connection, sender_id: str) -> list[StoredEvent]:
    rows = connection.execute(
        select(EVENTS.c.id, EVENTS.c.type_name, EVENTS.c.action_name, EVENTS.c.timestamp)
        .where(EVENTS.c.sender_id == sender_id)
        .order_by(EVENTS.c.id)
    )
    return [StoredEvent(*row) for row in rows]


def _delete_idle(connection: Connection, cutoff: float, dry_run: bool) -> tuple[int, int]:
    idle = _idle_conversations(cutoff).subquery()
    conversations = connection.execute(select(func.count()).select_from(idle)).scalar_one()
    in_idle = EVENTS.c.sender_id.in_(select(idle.c.sender_id))
    if dry_run:
        events = connection.execute(select(func.count()).where(in_idle)).scalar_one()
    else:
        events = connection.execute(EVENTS.delete().where(in_idle)).rowcount
    return conversations, events


def _delete_ended_sessions(engine: Engine, cutoff: float, dry_run: bool) -> tuple[int, int]:
    """One short transaction per conversation: Rasa keeps writing meanwhile."""
    sessions = events = 0
    with engine.connect() as connection:
        senders = connection.execute(_older_conversations(cutoff)).scalars().all()
    for sender_id in senders:
        with engine.begin() as connection:
            for session in ended_sessions(_stored_events(connection, sender_id), cutoff):
                sessions += 1
                if dry_run:
                    events += session.size
                    continue
                events += connection.execute(
                    EVENTS.delete().where(
                        EVENTS.c.sender_id == sender_id,
                        EVENTS.c.id.between(session.first_id, session.last_id),
                    )
                ).rowcount
    return sessions, events


def purge_tracker_store(engine: Engine, cutoff: float, *, dry_run: bool = False) -> TrackerPurge:
    """Delete what is older than `cutoff` (a Unix time, as Rasa stores it).

    A store Rasa has not created yet holds nothing to delete. Rasa keeps writing
    meanwhile: should a citizen come back at the very moment their idle conversation is
    deleted, Rasa stores again what it holds of the latest session, and the next run
    deletes that session once it has ended.
    """
    if not inspect(engine).has_table(EVENTS.name):
        log.info("retention: the tracker store has no events table yet")
        return TrackerPurge()
    with engine.begin() as connection:
        conversations, idle_events = _delete_idle(connection, cutoff, dry_run)
    sessions, session_events = _delete_ended_sessions(engine, cutoff, dry_run)
    return TrackerPurge(conversations, sessions, idle_events + session_events)

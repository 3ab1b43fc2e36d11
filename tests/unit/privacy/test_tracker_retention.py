"""Retention in Rasa's tracker store: old conversations and ended sessions go, nothing else."""

from __future__ import annotations

import time

from sqlalchemy import create_engine

from bot.privacy.tracker_retention import (
    StoredEvent,
    TrackerPurge,
    ended_sessions,
    purge_tracker_store,
    sessions_of,
)
from tests.unit.privacy.conversations import conversation, days_ago, session


def stored(*kinds: tuple[str, str | None, float]) -> list[StoredEvent]:
    return [StoredEvent(index, kind, name, at) for index, (kind, name, at) in enumerate(kinds, 1)]


def test_a_session_begins_at_its_metadata_and_action_session_start():
    events = stored(
        ("action", "action_session_start", 1.0),
        ("bot", None, 1.1),
        ("session_started", None, 1.2),
        ("user", None, 5.0),
        ("slot", "session_started_metadata", 9.0),  # second session
        ("action", "action_session_start", 9.1),
        ("bot", None, 9.2),
        ("session_started", None, 9.3),
        ("slot", "language", 9.4),
        ("user", None, 12.0),
    )
    assert [(s.first_id, s.last_id, s.size, s.ended_at) for s in sessions_of(events)] == [
        (1, 4, 4, 5.0),
        (5, 10, 6, 12.0),
    ]


def test_a_session_started_without_the_action_begins_a_session_too():
    """Rasa's API creates trackers that begin with `session_started` alone."""
    events = stored(
        ("user", None, 1.0),  # stored before any session start
        ("session_started", None, 2.0),
        ("user", None, 3.0),
        ("session_started", None, 4.0),
        ("user", None, 5.0),
    )
    assert [(s.first_id, s.last_id) for s in sessions_of(events)] == [(1, 1), (2, 3), (4, 5)]


def test_only_sessions_ended_before_the_cutoff_and_never_the_current_one():
    events = stored(
        ("session_started", None, 1.0),
        ("user", None, 2.0),
        ("session_started", None, 3.0),
        ("user", None, 8.0),  # ended after the cutoff
        ("session_started", None, 9.0),
        ("user", None, 9.5),  # the current session, however old
    )
    assert [(s.first_id, s.last_id) for s in ended_sessions(events, cutoff=5.0)] == [(1, 2)]
    assert ended_sessions(events, cutoff=100.0) == sessions_of(events)[:-1]
    assert sessions_of([]) == [] and ended_sessions([], cutoff=1.0) == []


async def _store_all(databases, now: float) -> dict[str, int]:
    """Five conversations; returns how many events each has stored."""
    store = databases.tracker.store()
    conversations = {
        # idle for 40 days: deleted whole
        "rest:idle": session(days_ago(40, now), metadata={"language": "nl"}),
        # an old session (ended 59 days ago), the current one 10 days ago: the old goes
        "tg:1": [*session(days_ago(60, now)), *session(days_ago(10, now))],
        # two sessions ended before the cutoff and a current one
        "web:2": [*session(days_ago(45, now)), *session(days_ago(35, now)), *session(now - 60)],
        # one long current session, begun 40 days ago and still in use: kept
        "tg:3": [*session(days_ago(40, now)), *session(days_ago(1, now))[5:]],
        # an earlier session ended 20 days ago, within the period: kept
        "rest:4": [*session(days_ago(20, now)), *session(days_ago(2, now))],
    }
    for sender_id, events in conversations.items():
        await store.save(conversation(sender_id, events))
    return {sender_id: databases.tracker.count(sender_id) for sender_id in conversations}


def _session_size() -> int:
    return len(session(0.0))


async def test_purge_deletes_idle_conversations_and_ended_sessions_only(databases):
    now = time.time()
    before = await _store_all(databases, now)
    store = databases.tracker.store()
    current = {s: (await store.retrieve(s)).events for s in ("tg:1", "web:2", "tg:3", "rest:4")}
    engine = create_engine(databases.tracker.url, future=True)
    try:
        purged = purge_tracker_store(engine, days_ago(30, now))
    finally:
        engine.dispose()

    size = _session_size()
    assert purged == TrackerPurge(
        conversations=1, sessions=3, events=before["rest:idle"] + 3 * size
    )
    after = {s: databases.tracker.count(s) for s in before}
    assert after == {
        "rest:idle": 0,
        "tg:1": before["tg:1"] - size,
        "web:2": before["web:2"] - 2 * size,
        "tg:3": before["tg:3"],
        "rest:4": before["rest:4"],
    }
    # What Rasa loads of each remaining conversation is exactly what it loaded before.
    for sender_id, events in current.items():
        retrieved = await store.retrieve(sender_id)
        assert [e.as_dict() for e in retrieved.events] == [e.as_dict() for e in events]


async def test_a_dry_run_counts_the_same_and_deletes_nothing(databases):
    now = time.time()
    before = await _store_all(databases, now)
    engine = create_engine(databases.tracker.url, future=True)
    try:
        counted = purge_tracker_store(engine, days_ago(30, now), dry_run=True)
        assert {s: databases.tracker.count(s) for s in before} == before
        deleted = purge_tracker_store(engine, days_ago(30, now))
    finally:
        engine.dispose()
    assert counted == deleted


def test_a_store_without_events_table_has_nothing_to_delete(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}", future=True)
    try:
        assert purge_tracker_store(engine, time.time()) == TrackerPurge()
    finally:
        engine.dispose()

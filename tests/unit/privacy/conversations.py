"""Conversations the way Rasa 3.6 stores them, for the tracker store and retention tests.

A helper module, not a test module. A session is written in the order Rasa logs a
session start whose `action_session_start` is remote (actions/privacy.py): the metadata
slot, the action, its message (the privacy notice), `session_started`, the carried-over
slots, `action_listen`; then the citizen's turns.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT

DAY = 24 * 60 * 60.0
DOMAIN = Domain.load(PROJECT_ROOT / "domain.yml")
STORE_CLASS = "bot.privacy.tracker_store.ForgettingSQLTrackerStore"


def days_ago(days: float, now: float | None = None) -> float:
    return (now or time.time()) - days * DAY


def session(
    start: float, *, turns: int = 2, text_said: str = "hallo", metadata: dict | None = None
) -> list[Event]:
    """One session starting at `start` (a Unix time), its turns a minute apart."""
    events: list[Event] = []
    if metadata is not None:
        events.append(SlotSet("session_started_metadata", metadata, timestamp=start))
    events += [
        ActionExecuted("action_session_start", timestamp=start + 0.1),
        BotUttered("Privacy: ...", timestamp=start + 0.2),
        SessionStarted(timestamp=start + 0.3),
        SlotSet("language", "nl", timestamp=start + 0.4),
        ActionExecuted("action_listen", timestamp=start + 0.5),
    ]
    for turn in range(1, turns + 1):
        at = start + 60 * turn
        events += [
            UserUttered(text_said, {"name": "greet", "confidence": 1.0}, timestamp=at),
            ActionExecuted("utter_greet", timestamp=at + 1),
            BotUttered("Hallo!", timestamp=at + 2),
            ActionExecuted("action_listen", timestamp=at + 3),
        ]
    return events


def forget_me_turn(at: float, *, succeeded: bool = True) -> list[Event]:
    """The citizen taps "yes, delete everything"; `succeeded`: the action returned."""
    events: list[Event] = [
        UserUttered("/forget_me_confirmed", {"name": "forget_me_confirmed"}, timestamp=at),
        ActionExecuted("action_forget_me", timestamp=at + 1),
    ]
    if succeeded:
        events += [
            BotUttered("Done.", timestamp=at + 2),
            AllSlotsReset(timestamp=at + 3),
            ActiveLoop(None, timestamp=at + 4),
        ]
    return [*events, ActionExecuted("action_listen", timestamp=at + 5)]


def conversation(sender_id: str, events: Iterable[Event]) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender_id, DOMAIN.slots)
    for event in events:
        tracker.update(event, DOMAIN)
    return tracker


@dataclass
class TrackerDatabase:
    """Rasa's tracker store on one database: its endpoint settings and SQLAlchemy URL."""

    url: str
    endpoint: dict

    def store(self) -> TrackerStore:
        """The store Rasa builds from endpoints.yml's `tracker_store` section."""
        return TrackerStore.create(EndpointConfig.from_dict(dict(self.endpoint)), DOMAIN)

    def sender_ids(self) -> list[str]:
        return [row[0] for row in self.query("SELECT DISTINCT sender_id FROM events")]

    def count(self, sender_id: str) -> int:
        found = self.query("SELECT COUNT(*) FROM events WHERE sender_id = :s", s=sender_id)
        return found[0][0]

    def query(self, sql: str, **params) -> list[tuple]:
        engine = create_engine(self.url, future=True)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql), params)]
        finally:
            engine.dispose()


def sqlite_tracker_database(path: Path) -> TrackerDatabase:
    return TrackerDatabase(
        f"sqlite:///{path}", {"type": STORE_CLASS, "dialect": "sqlite", "db": str(path)}
    )


def postgres_tracker_database(url: str) -> TrackerDatabase:
    parsed = make_url(url)
    endpoint = {
        "type": STORE_CLASS,
        "dialect": "postgresql",
        "url": parsed.host,
        "port": parsed.port or 5432,
        "db": parsed.database,
        "username": parsed.username,
    }
    if parsed.password:
        endpoint["password"] = parsed.password
    return TrackerDatabase(url, endpoint)

"""The privacy tests run on SQLite (local) and on PostgreSQL (production)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import sessionmaker

from bot.db import make_engine, make_session_factory
from bot.models import metadata
from tests.support import scratch_postgres_database
from tests.unit.privacy.conversations import (
    TrackerDatabase,
    postgres_tracker_database,
    sqlite_tracker_database,
)


@dataclass
class Databases:
    """Rasa's tracker store and the assistant's own database (every table of bot.models)."""

    kind: str
    tracker: TrackerDatabase
    assistant_url: str
    factory: sessionmaker


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path):
    if request.param == "sqlite":
        tracker = sqlite_tracker_database(tmp_path / "tracker.db")
        assistant_url = f"sqlite:///{tmp_path / 'assistant.db'}"
        yield from _with_assistant(request.param, tracker, assistant_url)
        return
    with (
        scratch_postgres_database("privacy_tracker") as tracker_url,
        scratch_postgres_database("privacy_assistant") as assistant_url,
    ):
        yield from _with_assistant(
            request.param, postgres_tracker_database(tracker_url), assistant_url
        )


def _with_assistant(kind: str, tracker: TrackerDatabase, assistant_url: str):
    engine = make_engine(assistant_url)
    metadata.create_all(engine)
    try:
        yield Databases(kind, tracker, assistant_url, make_session_factory(engine))
    finally:
        engine.dispose()

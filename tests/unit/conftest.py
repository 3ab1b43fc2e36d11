"""Fixtures shared by the unit tests of several packages."""

from __future__ import annotations

import pytest

from bot.db import make_engine, make_session_factory
from bot.models import metadata


@pytest.fixture
def factory(tmp_path):
    """A session factory on a fresh SQLite file holding every table of bot.models."""
    engine = make_engine(f"sqlite:///{tmp_path / 'assistant.db'}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()

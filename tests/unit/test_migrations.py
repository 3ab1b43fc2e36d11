"""The Alembic migrations build exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from bot.migrations import upgrade_database
from bot.models import metadata
from tests.support import scratch_postgres_database


def _differences(url: str) -> list:
    engine = create_engine(url, future=True)
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()


def test_sqlite_schema_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'assistant.db'}"
    upgrade_database(url)
    upgrade_database(url)  # idempotent: a second run changes nothing
    assert _differences(url) == []


@pytest.fixture
def postgres_database():
    with scratch_postgres_database("assistant_test") as url:
        yield url


def test_postgresql_schema_matches_the_models(postgres_database):
    upgrade_database(postgres_database)
    assert _differences(postgres_database) == []

"""Several processes migrate one PostgreSQL at once (a cluster starting): one migrates, the
others wait for its advisory lock and find nothing left to do."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from bot.migrations import MIGRATION_LOCK_KEY, MigrationLockTimeout, upgrade_database
from bot.models import metadata
from bot.settings import PROJECT_ROOT
from tests.support import scratch_postgres_database

MODULE_BUDGET_SECONDS = 120


@pytest.fixture
def database():
    with scratch_postgres_database("migrate_at_once") as url:
        yield url


def test_processes_starting_together_migrate_once(database):
    code = "import sys; from bot.migrations import upgrade_database; upgrade_database(sys.argv[1])"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code, database],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=90)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], "\n".join(outputs)
    engine = create_engine(database, future=True)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
            versions = connection.execute(text("SELECT count(*) FROM alembic_version")).scalar()
            assert versions == 1
    finally:
        engine.dispose()


def test_a_process_waits_for_the_lock_and_says_so_when_it_is_held_too_long(database):
    engine = create_engine(database, future=True)
    try:
        with engine.connect() as holder:
            holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            with pytest.raises(MigrationLockTimeout, match="advisory lock"):
                upgrade_database(database, lock_wait_seconds=1)
            holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            holder.commit()
        upgrade_database(database, lock_wait_seconds=1)  # free again: migrates
    finally:
        engine.dispose()

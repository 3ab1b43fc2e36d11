"""Bring the project's database to the newest schema (Alembic `upgrade head`).

Every process that uses the database runs it on start (`make run`, the action server,
the console, the users CLI), so several of them may start at once against one
PostgreSQL (production, `python -m bot.ops.cluster`). There the upgrade runs under a
PostgreSQL advisory lock: the first process migrates, the others wait for it and then
find nothing left to do. SQLite serialises writers itself.
"""

from __future__ import annotations

import hashlib
import logging
import time

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

# One lock for the project's schema, whatever the database's name: a stable 64-bit key.
MIGRATION_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"jobseeker-assistant:alembic-upgrade").digest()[:8], "big", signed=True
)
DEFAULT_LOCK_WAIT_SECONDS = 300.0


class MigrationLockTimeout(TimeoutError):
    """Another process held the migration lock for too long."""


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(
    database_url: str, lock_wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
) -> None:
    """`alembic upgrade head`; on PostgreSQL one process at a time (advisory lock)."""
    from bot.db import make_engine  # creates the SQLite folder when needed

    engine = make_engine(database_url)
    try:
        if make_url(database_url).get_backend_name() != "postgresql":
            engine.dispose()
            command.upgrade(alembic_config(database_url), "head")
            return
        # The lock belongs to this connection's session; Alembic migrates on its own.
        with engine.connect() as connection:
            _acquire(connection, lock_wait_seconds)
            try:
                command.upgrade(alembic_config(database_url), "head")
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
                connection.commit()
    finally:
        engine.dispose()


def _acquire(connection, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    waiting_said = False
    while True:
        locked = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
        ).scalar()
        connection.commit()  # no transaction left open while Alembic works
        if locked:
            return
        if time.monotonic() >= deadline:
            raise MigrationLockTimeout(
                f"another process has been migrating the database for {wait_seconds:.0f} s "
                "(PostgreSQL advisory lock); is one stuck?"
            )
        if not waiting_said:
            log.info("waiting for another process to finish migrating the database")
            waiting_said = True
        time.sleep(0.2)

"""Bring the project's database to the newest schema (Alembic `upgrade head`)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from bot.settings import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_database(database_url: str) -> None:
    from bot.db import make_engine  # creates the SQLite folder when needed

    make_engine(database_url).dispose()
    command.upgrade(alembic_config(database_url), "head")

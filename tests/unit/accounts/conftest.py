"""Fixtures of the accounts tests, on the SQLite `factory` of tests/unit/conftest.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.accounts import users
from bot.audit import AuditEvent
from bot.db import session_scope
from tests.unit.accounts.helpers import PASSWORD


@pytest.fixture
def anna(factory):
    return users.create_user(factory, "Anna", PASSWORD, "counsellor", "Anna Janssens")


@pytest.fixture
def audit_dump(factory):
    """`audit_dump()`: every audit event as one string, to look for what must not be there."""

    def dump() -> str:
        with session_scope(factory) as session:
            events = session.execute(select(AuditEvent)).scalars().all()
            return " ".join(f"{e.actor} {e.action} {e.conversation_id} {e.detail}" for e in events)

    return dump

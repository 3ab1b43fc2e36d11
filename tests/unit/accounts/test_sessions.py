"""Login sessions and their CSRF tokens (SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from bot.accounts import sessions
from bot.accounts.models import ConsoleSession
from bot.db import session_scope


def test_sessions_store_only_the_token_hash(factory, anna, audit_dump):
    token, row = sessions.start_session(factory, anna.id)
    assert len(token) >= 43
    assert row.id != token and len(row.id) == 64
    with session_scope(factory) as session:
        assert session.get(ConsoleSession, token) is None
    loaded = sessions.load_session(factory, token)
    assert loaded is not None and loaded[1].id == anna.id
    assert sessions.load_session(factory, "forged") is None
    assert sessions.load_session(factory, "") is None
    assert token not in audit_dump()


def test_session_expiry(factory, anna):
    token, _ = sessions.start_session(factory, anna.id, ttl=timedelta(seconds=-1))
    assert sessions.load_session(factory, token) is None
    token, row = sessions.start_session(factory, anna.id)
    with session_scope(factory) as session:
        session.execute(
            update(ConsoleSession)
            .where(ConsoleSession.id == row.id)
            .values(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1))
        )
    assert sessions.load_session(factory, token) is None
    with session_scope(factory) as session:
        assert session.get(ConsoleSession, row.id) is None  # cleaned up


def test_session_updates_last_seen_and_ends(factory, anna):
    token, row = sessions.start_session(factory, anna.id)
    earlier = datetime.now(timezone.utc) - timedelta(hours=1)
    with session_scope(factory) as session:
        session.execute(
            update(ConsoleSession).where(ConsoleSession.id == row.id).values(last_seen_at=earlier)
        )
    loaded_session, user = sessions.load_session(factory, token)
    assert user.username == "anna" and loaded_session.id == row.id
    with session_scope(factory) as session:
        seen = session.get(ConsoleSession, row.id).last_seen_at
    assert seen.replace(tzinfo=timezone.utc) > earlier
    assert sessions.end_session(factory, token)
    assert not sessions.end_session(factory, token)
    assert sessions.load_session(factory, token) is None


def test_csrf(factory, anna):
    token, row = sessions.start_session(factory, anna.id)
    csrf = sessions.csrf_token_for(row)
    assert csrf and csrf != token
    assert sessions.check_csrf(row, csrf)
    assert not sessions.check_csrf(row, csrf + "x")
    assert not sessions.check_csrf(row, "")
    assert not sessions.check_csrf(row, None)
    assert not sessions.check_csrf(None, csrf)
    _, other = sessions.start_session(factory, anna.id)
    assert not sessions.check_csrf(other, csrf)

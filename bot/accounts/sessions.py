"""Login sessions and their CSRF tokens, in the database (shared by console instances).

The browser holds a random token; only its sha256 is stored. Every session has its own
CSRF token, compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import sessionmaker

from bot.accounts.models import ConsoleSession, User
from bot.audit import record_audit_event
from bot.db import as_utc, session_scope, utc_now

SESSION_TTL = timedelta(hours=8)


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    factory: sessionmaker, user_id: int, ttl: timedelta = SESSION_TTL
) -> tuple[str, ConsoleSession]:
    """A new session: (token for the cookie, the stored session). Only the token's hash is kept."""
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with session_scope(factory) as session:
        row = ConsoleSession(
            id=_token_id(token),
            user_id=user_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + ttl,
            last_seen_at=now,
        )
        session.add(row)
        session.flush()
        record_audit_event(
            session, actor="console", action="session_started", detail={"user_id": user_id}
        )
        return token, row


def load_session(factory: sessionmaker, token: str) -> tuple[ConsoleSession, User] | None:
    """The live session of `token` and its active user, or None (unknown, expired, inactive).

    Marks the session as seen now; an expired session is deleted.
    """
    if not token:
        return None
    now = utc_now()
    with session_scope(factory) as session:
        row = session.get(ConsoleSession, _token_id(token))
        if row is None:
            return None
        if as_utc(row.expires_at) <= now:
            session.delete(row)
            return None
        user = session.get(User, row.user_id)
        if user is None or not user.active:
            return None
        row.last_seen_at = now
        return row, user


def end_session(factory: sessionmaker, token: str) -> bool:
    with session_scope(factory) as session:
        result = session.execute(
            delete(ConsoleSession).where(ConsoleSession.id == _token_id(token or ""))
        )
        if result.rowcount:
            record_audit_event(session, actor="console", action="session_ended")
        return bool(result.rowcount)


def csrf_token_for(console_session: ConsoleSession) -> str:
    return console_session.csrf_token


def tokens_match(supplied: str, expected: str) -> bool:
    """Constant-time comparison that also refuses non-ASCII input instead of raising."""
    return hmac.compare_digest(supplied.encode("utf-8"), expected.encode("utf-8"))


def check_csrf(console_session: ConsoleSession | None, token: str | None) -> bool:
    """Whether `token` is the CSRF token of `console_session` (False for no session/token)."""
    if console_session is None or not token:
        return False
    return tokens_match(str(token), csrf_token_for(console_session))

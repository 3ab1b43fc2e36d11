"""Logging in, and the login throttle shared by every console instance (in the database).

Failed attempts are stored with sha256 digests of the username and the IP only. Nothing
here logs or audits a password, a username or an IP address.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts import passwords
from bot.accounts.errors import LoginThrottled
from bot.accounts.models import LoginAttempt, User
from bot.accounts.users import canonical_username, user_named
from bot.audit import record_audit_event
from bot.db import as_utc, session_scope, utc_now

LOGIN_WINDOW = timedelta(minutes=15)
MAX_LOGIN_FAILURES = 5


def _key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def _retry_after(session: Session, column, key: str, now: datetime) -> int:
    since = now - LOGIN_WINDOW
    count = session.execute(
        select(func.count(LoginAttempt.id)).where(column == key, LoginAttempt.at > since)
    ).scalar_one()
    if count < MAX_LOGIN_FAILURES:
        return 0
    # The window frees a slot when the oldest failure still counted leaves it.
    oldest_counted = session.execute(
        select(LoginAttempt.at)
        .where(column == key, LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .offset(MAX_LOGIN_FAILURES - 1)
        .limit(1)
    ).scalar_one()
    seconds = (as_utc(oldest_counted) + LOGIN_WINDOW - now).total_seconds()
    return max(1, int(seconds + 0.999))


def login_retry_after(factory: sessionmaker, username: str, client_ip: str = "") -> int:
    """Seconds before this username / IP may try again; 0 when not throttled."""
    now = utc_now()
    user_key = _key("user", canonical_username(username))
    with session_scope(factory) as session:
        return max(
            _retry_after(session, LoginAttempt.username_key, user_key, now),
            _retry_after(session, LoginAttempt.ip_key, _key("ip", client_ip or "-"), now),
        )


def authenticate(
    factory: sessionmaker, username: str, password: str, client_ip: str = ""
) -> User | None:
    """The active user with this username and password, or None.

    Raises LoginThrottled (with `retry_after_seconds`) after MAX_LOGIN_FAILURES failures
    within LOGIN_WINDOW for the username or for the client IP. A success clears the
    failures of the username. Unknown users cost one hash too, so timing tells nothing.
    """
    name = canonical_username(username)
    user_key, ip_key = _key("user", name), _key("ip", client_ip or "-")
    retry = login_retry_after(factory, name, client_ip)
    if retry:
        with session_scope(factory) as session:
            record_audit_event(session, actor="console", action="login_throttled")
        raise LoginThrottled(retry)
    with session_scope(factory) as session:
        user = user_named(session, name)
    stored = user.password_hash if user is not None else passwords.dummy_hash()
    ok = (
        passwords.verify_password(password or "", stored) and user is not None and bool(user.active)
    )
    with session_scope(factory) as session:
        if ok:
            session.execute(delete(LoginAttempt).where(LoginAttempt.username_key == user_key))
            if passwords.needs_rehash(stored):
                session.execute(
                    update(User)
                    .where(User.id == user.id)
                    .values(password_hash=passwords.hash_password(password))
                )
            record_audit_event(
                session, actor="console", action="login_succeeded", detail={"user_id": user.id}
            )
            return user
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < utc_now() - 2 * LOGIN_WINDOW))
        session.add(LoginAttempt(username_key=user_key, ip_key=ip_key, at=utc_now()))
        record_audit_event(session, actor="console", action="login_failed")
        return None

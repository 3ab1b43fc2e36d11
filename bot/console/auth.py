"""Console users, password hashing, login sessions, CSRF and login rate limiting.

Everything lives in the project's database, so several console instances share the
sessions and the login throttle. Nothing here logs or audits a password, a token, a
username or an IP address: audit details carry internal ids only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session, sessionmaker

from bot.audit import record_audit_event
from bot.db import Base, session_scope

ROLES = ("counsellor", "trainer", "admin")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_SALT_BYTES = 16
SCRYPT_HASH_BYTES = 32

SESSION_TTL = timedelta(hours=8)
LOGIN_WINDOW = timedelta(minutes=15)
MAX_LOGIN_FAILURES = 5


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every stored datetime is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('counsellor', 'trainer', 'admin')", name="ck_users_role"),
    )

    id = Column(Integer, primary_key=True)
    username = Column(String(64), unique=True, nullable=False)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(16), nullable=False)
    display_name = Column(String(128), nullable=False, default="")
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class ConsoleSession(Base):
    __tablename__ = "console_sessions"

    # sha256 (hex) of the token given to the browser; the token itself is never stored.
    id = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class LoginAttempt(Base):
    """A failed login. Username and IP are stored as sha256 digests only."""

    __tablename__ = "login_attempts"

    id = Column(Integer, primary_key=True)
    username_key = Column(String(64), nullable=False, index=True)
    ip_key = Column(String(64), nullable=False, index=True)
    at = Column(DateTime(timezone=True), nullable=False, default=_now, index=True)


class AuthError(Exception):
    """Base of the errors of this module."""


class WeakPassword(AuthError):
    pass


class InvalidUsername(AuthError):
    pass


class UserExists(AuthError):
    pass


class UnknownUser(AuthError):
    pass


class PermissionDenied(AuthError, PermissionError):
    pass


class LoginThrottled(AuthError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


# --- passwords -------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt_b64$hash_b64` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(SCRYPT_SALT_BYTES)
    digest = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        dklen=SCRYPT_HASH_BYTES,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; False for any malformed hash."""
    try:
        scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
        n_, r_, p_ = int(n), int(r), int(p)
        if n_ > 2**20 or r_ > 32 or p_ > 16:  # refuse absurd costs from a tampered row
            return False
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=salt,
            n=n_,
            r=r_,
            p=p_,
            dklen=len(expected),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    return not stored.startswith(f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$")


_DUMMY_HASH: str | None = None


def _dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise WeakPassword("a password cannot be only spaces")


def normalize_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not USERNAME_PATTERN.match(name):
        raise InvalidUsername(
            "a username has 2 to 64 characters: lowercase letters, digits, '.', '_' or '-'"
        )
    return name


# --- users -----------------------------------------------------------------------------


def create_user(
    factory: sessionmaker,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    *,
    actor: str = "system",
) -> User:
    name = normalize_username(username)
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    check_password_strength(password)
    password_hash = hash_password(password)
    with session_scope(factory) as session:
        if session.execute(select(User.id).where(User.username == name)).first():
            raise UserExists("this username is taken")
        user = User(
            username=name,
            password_hash=password_hash,
            role=role,
            display_name=(display_name or name).strip()[:128],
            active=True,
        )
        session.add(user)
        session.flush()
        record_audit_event(
            session, actor=actor, action="user_created", detail={"user_id": user.id, "role": role}
        )
        return user


def get_user(factory: sessionmaker, username: str) -> User | None:
    with session_scope(factory) as session:
        return session.execute(
            select(User).where(User.username == username.strip().lower())
        ).scalar_one_or_none()


def list_users(factory: sessionmaker) -> list[User]:
    with session_scope(factory) as session:
        return list(session.execute(select(User).order_by(User.username)).scalars().all())


def set_password(
    factory: sessionmaker, username: str, password: str, *, actor: str = "system"
) -> bool:
    """Change the password and end every session of the user. False for an unknown user."""
    check_password_strength(password)
    password_hash = hash_password(password)
    with session_scope(factory) as session:
        user = session.execute(
            select(User).where(User.username == username.strip().lower())
        ).scalar_one_or_none()
        if user is None:
            return False
        user.password_hash = password_hash
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        record_audit_event(
            session, actor=actor, action="user_password_changed", detail={"user_id": user.id}
        )
        return True


def deactivate(factory: sessionmaker, username: str, *, actor: str = "system") -> bool:
    """Deactivate the user and end its sessions. False for an unknown user."""
    with session_scope(factory) as session:
        user = session.execute(
            select(User).where(User.username == username.strip().lower())
        ).scalar_one_or_none()
        if user is None:
            return False
        user.active = False
        session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        record_audit_event(
            session, actor=actor, action="user_deactivated", detail={"user_id": user.id}
        )
        return True


def require_role(user: User | None, *roles: str) -> User:
    """The user when active and in one of `roles`; PermissionDenied otherwise."""
    if user is None or not user.active or user.role not in roles:
        raise PermissionDenied("this needs the role " + " or ".join(roles))
    return user


# --- login and its throttle ------------------------------------------------------------


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
    seconds = (_aware(oldest_counted) + LOGIN_WINDOW - now).total_seconds()
    return max(1, int(seconds + 0.999))


def login_retry_after(factory: sessionmaker, username: str, client_ip: str = "") -> int:
    """Seconds before this username / IP may try again; 0 when not throttled."""
    now = _now()
    with session_scope(factory) as session:
        return max(
            _retry_after(session, LoginAttempt.username_key, _key("user", _norm(username)), now),
            _retry_after(session, LoginAttempt.ip_key, _key("ip", client_ip or "-"), now),
        )


def _norm(username: str) -> str:
    return (username or "").strip().lower()


def authenticate(
    factory: sessionmaker, username: str, password: str, client_ip: str = ""
) -> User | None:
    """The active user with this username and password, or None.

    Raises LoginThrottled (with `retry_after_seconds`) after MAX_LOGIN_FAILURES failures
    within LOGIN_WINDOW for the username or for the client IP. A success clears the
    failures of the username. Unknown users cost one hash too, so timing tells nothing.
    """
    name = _norm(username)
    user_key, ip_key = _key("user", name), _key("ip", client_ip or "-")
    retry = login_retry_after(factory, name, client_ip)
    if retry:
        with session_scope(factory) as session:
            record_audit_event(session, actor="console", action="login_throttled")
        raise LoginThrottled(retry)
    with session_scope(factory) as session:
        user = session.execute(select(User).where(User.username == name)).scalar_one_or_none()
    stored = user.password_hash if user is not None else _dummy_hash()
    ok = verify_password(password or "", stored) and user is not None and bool(user.active)
    with session_scope(factory) as session:
        if ok:
            session.execute(delete(LoginAttempt).where(LoginAttempt.username_key == user_key))
            if needs_rehash(stored):
                session.execute(
                    update(User)
                    .where(User.id == user.id)
                    .values(password_hash=hash_password(password))
                )
            record_audit_event(
                session, actor="console", action="login_succeeded", detail={"user_id": user.id}
            )
            return user
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < _now() - 2 * LOGIN_WINDOW))
        session.add(LoginAttempt(username_key=user_key, ip_key=ip_key, at=_now()))
        record_audit_event(session, actor="console", action="login_failed")
        return None


# --- sessions and CSRF -----------------------------------------------------------------


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    factory: sessionmaker, user_id: int, ttl: timedelta = SESSION_TTL
) -> tuple[str, ConsoleSession]:
    """A new session: (token for the cookie, the stored session). Only the token's hash is kept."""
    token = secrets.token_urlsafe(32)
    now = _now()
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
    """The live session of `token` and its active user, or None (unknown, expired, inactive)."""
    if not token:
        return None
    now = _now()
    with session_scope(factory) as session:
        row = session.get(ConsoleSession, _token_id(token))
        if row is None:
            return None
        if _aware(row.expires_at) <= now:
            session.delete(row)
            return None
        user = session.get(User, row.user_id)
        if user is None or not user.active:
            return None
        row.last_seen_at = now
        return row, user


def session_user(factory: sessionmaker, token: str) -> User | None:
    loaded = load_session(factory, token)
    return loaded[1] if loaded else None


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


def check_csrf(console_session: ConsoleSession | None, token: str | None) -> bool:
    if console_session is None or not token:
        return False
    return hmac.compare_digest(
        console_session.csrf_token.encode("utf-8"), str(token).encode("utf-8")
    )

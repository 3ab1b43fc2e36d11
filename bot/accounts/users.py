"""Console users: create, find, list, change the password, deactivate.

Audit details carry internal ids only: never a username nor a password.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.accounts.errors import AuthError, InvalidUsername, UserExists
from bot.accounts.models import ConsoleSession, User
from bot.accounts.passwords import check_password_strength, hash_password
from bot.accounts.roles import ROLES
from bot.audit import record_audit_event
from bot.db import session_scope

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def canonical_username(username: str) -> str:
    """How a username is stored and looked up: trimmed and lowercase."""
    return (username or "").strip().lower()


def normalize_username(username: str) -> str:
    """The canonical username; InvalidUsername when it cannot be one."""
    name = canonical_username(username)
    if not USERNAME_PATTERN.match(name):
        raise InvalidUsername(
            "a username has 2 to 64 characters: lowercase letters, digits, '.', '_' or '-'"
        )
    return name


def user_named(session: Session, username: str) -> User | None:
    """The user with this username (any case, spaces around ignored), in `session`."""
    return session.execute(
        select(User).where(User.username == canonical_username(username))
    ).scalar_one_or_none()


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
        return user_named(session, username)


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
        user = user_named(session, username)
        if user is None:
            return False
        user.password_hash = password_hash
        _end_sessions_of(session, user)
        record_audit_event(
            session, actor=actor, action="user_password_changed", detail={"user_id": user.id}
        )
        return True


def deactivate(factory: sessionmaker, username: str, *, actor: str = "system") -> bool:
    """Deactivate the user and end its sessions. False for an unknown user."""
    with session_scope(factory) as session:
        user = user_named(session, username)
        if user is None:
            return False
        user.active = False
        _end_sessions_of(session, user)
        record_audit_event(
            session, actor=actor, action="user_deactivated", detail={"user_id": user.id}
        )
        return True


def _end_sessions_of(session: Session, user: User) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))

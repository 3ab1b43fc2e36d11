"""The tables of the accounts: users, their login sessions and failed logins."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, DateTime, ForeignKey, Integer, String

from bot.db import Base, utc_now


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
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class ConsoleSession(Base):
    __tablename__ = "console_sessions"

    # sha256 (hex) of the token given to the browser; the token itself is never stored.
    id = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utc_now)


class LoginAttempt(Base):
    """A failed login. Username and IP are stored as sha256 digests only."""

    __tablename__ = "login_attempts"

    id = Column(Integer, primary_key=True)
    username_key = Column(String(64), nullable=False, index=True)
    ip_key = Column(String(64), nullable=False, index=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)

"""Logging in and the login throttle, shared by console instances (SQLite)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from bot.accounts import login, passwords, users
from bot.accounts.errors import LoginThrottled
from bot.accounts.models import LoginAttempt
from bot.db import make_engine, make_session_factory, session_scope
from tests.unit.accounts.helpers import PASSWORD


def test_authenticate(factory, anna):
    assert login.authenticate(factory, "anna", PASSWORD).id == anna.id
    assert login.authenticate(factory, " ANNA ", PASSWORD).id == anna.id
    assert login.authenticate(factory, "anna", "wrong password") is None
    assert login.authenticate(factory, "nobody", PASSWORD) is None


def test_unknown_users_cost_a_hash_too(factory, monkeypatch):
    seen = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda p, s: seen.append(s) or real(p, s))
    assert login.authenticate(factory, "nobody", PASSWORD) is None
    assert len(seen) == 1 and seen[0].startswith("scrypt$16384$8$1$")


def test_five_failures_throttle_the_username(factory, anna):
    for _ in range(5):
        assert login.authenticate(factory, "anna", "wrong password", "10.0.0.1") is None
    with pytest.raises(LoginThrottled) as caught:
        login.authenticate(factory, "anna", PASSWORD, "10.0.0.2")  # even the right password
    assert 0 < caught.value.retry_after_seconds <= 15 * 60
    assert login.login_retry_after(factory, "anna", "10.0.0.9") > 0
    # Another user from another address is not affected.
    users.create_user(factory, "bram", PASSWORD, "counsellor")
    assert login.authenticate(factory, "bram", PASSWORD, "10.0.0.2") is not None


def test_five_failures_throttle_the_ip(factory, anna):
    for name in ("a1", "a2", "a3", "a4", "a5"):
        login.authenticate(factory, name, "wrong password", "192.0.2.7")
    with pytest.raises(LoginThrottled):
        login.authenticate(factory, "anna", PASSWORD, "192.0.2.7")
    assert login.authenticate(factory, "anna", PASSWORD, "192.0.2.8") is not None


def test_success_resets_the_username_counter(factory, anna):
    for _ in range(4):
        login.authenticate(factory, "anna", "wrong password", "10.0.0.1")
    assert login.authenticate(factory, "anna", PASSWORD, "10.0.0.2") is not None
    for _ in range(4):
        login.authenticate(factory, "anna", "wrong password", "10.0.0.3")
    assert login.authenticate(factory, "anna", PASSWORD, "10.0.0.4") is not None


def test_throttle_expires_with_the_window(factory, anna):
    for _ in range(5):
        login.authenticate(factory, "anna", "wrong password", "10.0.0.1")
    old = datetime.now(timezone.utc) - timedelta(minutes=16)
    with session_scope(factory) as session:
        session.execute(update(LoginAttempt).values(at=old))
    assert login.authenticate(factory, "anna", PASSWORD, "10.0.0.1") is not None


def test_throttle_is_shared_by_instances(factory, anna):
    # A second engine on the same database plays another console instance.
    other = make_engine(str(factory.kw["bind"].url))
    try:
        for _ in range(5):
            login.authenticate(factory, "anna", "wrong password", "10.0.0.1")
        with pytest.raises(LoginThrottled):
            login.authenticate(make_session_factory(other), "anna", PASSWORD, "10.0.0.1")
    finally:
        other.dispose()


def test_attempts_store_no_username_nor_ip(factory, anna, audit_dump):
    login.authenticate(factory, "anna", "wrong password", "203.0.113.5")
    with session_scope(factory) as session:
        row = session.execute(select(LoginAttempt)).scalar_one()
    assert "anna" not in row.username_key and "203.0.113.5" not in row.ip_key
    dump = audit_dump()
    assert "login_failed" in dump
    for secret in ("anna", "Janssens", "203.0.113.5", PASSWORD, "wrong password"):
        assert secret not in dump

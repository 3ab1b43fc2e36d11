"""Console users: create, list, change the password, deactivate (SQLite)."""

from __future__ import annotations

import pytest

from bot.accounts import errors, login, passwords, sessions, users
from tests.unit.accounts.helpers import PASSWORD


def test_create_user(factory, anna):
    assert anna.username == "anna" and anna.role == "counsellor" and anna.active
    assert anna.display_name == "Anna Janssens"
    assert passwords.verify_password(PASSWORD, anna.password_hash)
    assert [u.username for u in users.list_users(factory)] == ["anna"]
    with pytest.raises(errors.UserExists):
        users.create_user(factory, "ANNA", PASSWORD, "trainer")
    with pytest.raises(errors.WeakPassword):
        users.create_user(factory, "bram", "short", "counsellor")
    with pytest.raises(errors.InvalidUsername):
        users.create_user(factory, "b r@m", PASSWORD, "counsellor")
    with pytest.raises(errors.AuthError):
        users.create_user(factory, "bram", PASSWORD, "boss")
    assert users.create_user(factory, "bram", PASSWORD, "admin").display_name == "bram"


def test_set_password_and_deactivate_end_sessions(factory, anna):
    token, _ = sessions.start_session(factory, anna.id)
    assert users.set_password(factory, "anna", "another long one")
    assert sessions.load_session(factory, token) is None
    assert login.authenticate(factory, "anna", PASSWORD) is None
    assert login.authenticate(factory, "anna", "another long one") is not None
    assert not users.set_password(factory, "nobody", "another long one")
    with pytest.raises(errors.WeakPassword):
        users.set_password(factory, "anna", "2short")
    token, _ = sessions.start_session(factory, anna.id)
    assert users.deactivate(factory, "anna")
    assert not users.deactivate(factory, "nobody")
    assert sessions.load_session(factory, token) is None
    assert login.authenticate(factory, "anna", "another long one") is None

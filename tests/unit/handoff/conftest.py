"""Fixtures of the handoff tests: counsellors and requests in the SQLite `factory`."""

from __future__ import annotations

import pytest

from bot.accounts.models import User
from bot.db import session_scope
from bot.handoff import state

PASSWORD_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"  # nobody logs in here


@pytest.fixture
def add_user(factory):
    """`add_user(username, role="counsellor", active=True)`: the new user's id."""

    def add(username: str, role: str = "counsellor", active: bool = True) -> int:
        with session_scope(factory) as session:
            user = User(username=username, password_hash=PASSWORD_HASH, role=role, active=active)
            session.add(user)
            session.flush()
            return user.id

    return add


@pytest.fixture
def anna(add_user) -> int:
    return add_user("anna")


@pytest.fixture
def bram(add_user) -> int:
    return add_user("bram")


@pytest.fixture
def new_request(factory):
    """`new_request(conversation_id="conv-1")`: the id of a new waiting request."""

    def new(conversation_id: str = "conv-1") -> int:
        request, created = state.request_handoff(factory, conversation_id, "rest", "nl", "asked")
        assert created
        return request.id

    return new

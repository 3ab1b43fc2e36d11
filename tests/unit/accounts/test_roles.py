"""The role check every console route makes."""

from __future__ import annotations

import pytest

from bot.accounts import errors, roles, users
from tests.unit.accounts.helpers import PASSWORD


def test_require_role(factory, anna):
    assert roles.require_role(anna, "counsellor", "admin") is anna
    with pytest.raises(errors.PermissionDenied):
        roles.require_role(anna, "admin")
    with pytest.raises(PermissionError):
        roles.require_role(None, "counsellor")
    anna.active = False
    with pytest.raises(errors.PermissionDenied):
        roles.require_role(anna, "counsellor")


def test_only_an_active_admin_reads_every_conversation(factory, anna):
    assert not roles.reads_every_conversation(anna)
    assert not roles.reads_every_conversation(None)
    admin = users.create_user(factory, "ada", PASSWORD, "admin")
    trainer = users.create_user(factory, "tom", PASSWORD, "trainer")
    assert roles.reads_every_conversation(admin)
    assert not roles.reads_every_conversation(trainer)
    admin.active = False
    assert not roles.reads_every_conversation(admin)

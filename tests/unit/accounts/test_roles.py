"""The role check every console route makes."""

from __future__ import annotations

import pytest

from bot.accounts import errors, roles


def test_require_role(factory, anna):
    assert roles.require_role(anna, "counsellor", "admin") is anna
    with pytest.raises(errors.PermissionDenied):
        roles.require_role(anna, "admin")
    with pytest.raises(PermissionError):
        roles.require_role(None, "counsellor")
    anna.active = False
    with pytest.raises(errors.PermissionDenied):
        roles.require_role(anna, "counsellor")

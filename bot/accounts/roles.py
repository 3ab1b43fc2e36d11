"""Who may do what: the roles of the accounts and the check every console route makes."""

from __future__ import annotations

from bot.accounts.errors import PermissionDenied
from bot.accounts.models import User

ROLES = ("counsellor", "trainer", "admin")
# The roles that serve citizens: take, answer and close handoffs.
COUNSELLOR_ROLES = ("counsellor", "admin")
# Reads any conversation (held by someone else, handed back or closed), always audited.
ADMIN = "admin"


def require_role(user: User | None, *roles: str) -> User:
    """The user when active and in one of `roles`; PermissionDenied otherwise."""
    if user is None or not user.active or user.role not in roles:
        raise PermissionDenied("this needs the role " + " or ".join(roles))
    return user


def reads_every_conversation(user: User | None) -> bool:
    """Whether the user may read conversations they do not hold (active admins only)."""
    return user is not None and bool(user.active) and user.role == ADMIN

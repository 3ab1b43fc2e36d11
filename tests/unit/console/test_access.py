"""The console's least-privilege rule: who sees what of one conversation."""

from __future__ import annotations

import pytest

from bot.accounts.models import User
from bot.console.access import Access, access_to, refusal_reason
from bot.handoff.models import ACTIVE, CLOSED, HANDED_BACK, WAITING, HandoffRequest

HOLDER_ID, OTHER_ID = 1, 2


def user(user_id: int, role: str = "counsellor", active: bool = True) -> User:
    return User(id=user_id, username=f"u{user_id}", role=role, active=active)


def row(status: str, counsellor_id: int | None = HOLDER_ID) -> HandoffRequest:
    return HandoffRequest(id=7, conversation_id="web:s", status=status, counsellor_id=counsellor_id)


@pytest.mark.parametrize(
    ("status", "counsellor", "admin"),
    [
        (WAITING, Access.SUMMARY, Access.ADMIN),
        (ACTIVE, Access.REFUSED, Access.ADMIN),
        (HANDED_BACK, Access.REFUSED, Access.ADMIN),
        (CLOSED, Access.REFUSED, Access.ADMIN),
    ],
)
def test_who_is_not_the_holder(status, counsellor, admin):
    request = row(status, None if status == WAITING else HOLDER_ID)
    assert access_to(request, user(OTHER_ID)) is counsellor
    assert access_to(request, user(OTHER_ID, "admin")) is admin
    assert access_to(request, user(OTHER_ID, "trainer")) is counsellor


def test_the_holder_of_an_active_conversation_only():
    assert access_to(row(ACTIVE), user(HOLDER_ID)) is Access.HOLDER
    assert access_to(row(ACTIVE), user(HOLDER_ID, "admin")) is Access.HOLDER
    # Once handed back or closed, the former holder is nobody special.
    assert access_to(row(HANDED_BACK), user(HOLDER_ID)) is Access.REFUSED
    assert access_to(row(CLOSED), user(HOLDER_ID)) is Access.REFUSED


def test_an_inactive_admin_reads_nothing_extra():
    assert access_to(row(CLOSED), user(OTHER_ID, "admin", active=False)) is Access.REFUSED


def test_only_holder_and_admin_read_the_transcript():
    assert [a for a in Access if a.reads_transcript] == [Access.HOLDER, Access.ADMIN]


def test_refusal_reasons():
    assert refusal_reason(row(ACTIVE)) == "held_by_other"
    assert refusal_reason(row(WAITING, None)) == "not_taken"
    assert refusal_reason(row(CLOSED)) == refusal_reason(row(HANDED_BACK)) == "finished"

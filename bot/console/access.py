"""Who may see what of one conversation: the least-privilege rule of the console.

- The counsellor who holds a conversation (status active) reads its transcript, answers,
  hands back, closes and reveals personal data, one item at a time.
- Nobody else acts on it. An admin may read any conversation (waiting, held by someone
  else, handed back or closed), masked and read-only.
- Another counsellor sees a waiting conversation only as a summary (what it takes to
  decide to take it: no message text, no name, no number) and nothing at all of a
  conversation held by someone else, handed back or closed.

Every view and every refusal is audited by the views (bot.handoff.audit).
"""

from __future__ import annotations

from enum import Enum

from bot.accounts.models import User
from bot.accounts.roles import reads_every_conversation
from bot.handoff.models import ACTIVE, WAITING, HandoffRequest


class Access(str, Enum):
    HOLDER = "holder"  # the transcript, and every action
    ADMIN = "admin"  # the transcript, read-only
    SUMMARY = "summary"  # a waiting conversation's summary, and Take
    REFUSED = "refused"  # nothing

    @property
    def reads_transcript(self) -> bool:
        return self in (Access.HOLDER, Access.ADMIN)


def access_to(row: HandoffRequest, user: User) -> Access:
    """What `user` may see of the conversation of `row`."""
    if row.status == ACTIVE and row.counsellor_id == user.id:
        return Access.HOLDER
    if reads_every_conversation(user):
        return Access.ADMIN
    if row.status == WAITING:
        return Access.SUMMARY
    return Access.REFUSED


def refusal_reason(row: HandoffRequest) -> str:
    """Why a counsellor may not open this conversation (for the page and the audit)."""
    if row.status == ACTIVE:
        return "held_by_other"
    if row.status == WAITING:
        return "not_taken"
    return "finished"

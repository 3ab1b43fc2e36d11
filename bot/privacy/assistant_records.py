"""The assistant's own rows about citizens, and which of them may be deleted.

Handoff requests with their messages (what a citizen and a counsellor wrote), and outbox
records (submissions to the agency). Deleted by conversation (forget-me) or by age
(retention), always inside the caller's transaction.

An outbox record is deleted only once it is final: delivered, or refused for good by
the agency (`rejected`, which includes "already registered"); the agency has it then,
and the payload has lost its personal fields already (`bot.agency.outbox`). A pending
record is never deleted: that would lose a citizen's submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from bot.agency.models import OutboxSubmission
from bot.handoff.models import CLOSED, HANDED_BACK, HandoffMessage, HandoffRequest

FINAL_OUTBOX_STATUSES = ("delivered", "rejected")
# A request is over once a counsellor closed it or handed the conversation back.
FINISHED_HANDOFF_STATUSES = (CLOSED, HANDED_BACK)


@dataclass(frozen=True)
class Deleted:
    """How many rows were deleted (or, in a dry run, would be)."""

    handoff_requests: int = 0
    handoff_messages: int = 0
    outbox_records: int = 0


def _count(session: Session, model, condition: ColumnElement) -> int:
    return session.execute(select(func.count()).select_from(model).where(condition)).scalar_one()


def _delete(session: Session, model, condition: ColumnElement, dry_run: bool) -> int:
    if dry_run:
        return _count(session, model, condition)
    result = session.execute(
        delete(model).where(condition).execution_options(synchronize_session=False)
    )
    return result.rowcount


def delete_handoffs(session: Session, which: ColumnElement, *, dry_run: bool = False) -> Deleted:
    """Delete the handoff requests matching `which`, their messages first."""
    ids = select(HandoffRequest.id).where(which)
    messages = _delete(session, HandoffMessage, HandoffMessage.handoff_id.in_(ids), dry_run)
    requests = _delete(session, HandoffRequest, which, dry_run)
    return Deleted(handoff_requests=requests, handoff_messages=messages)


def delete_final_outbox_records(
    session: Session, which: ColumnElement, *, dry_run: bool = False
) -> int:
    """Delete the final outbox records matching `which`; pending ones always stay."""
    final = OutboxSubmission.status.in_(FINAL_OUTBOX_STATUSES)
    return _delete(session, OutboxSubmission, final & which, dry_run)


def of_conversation_handoffs(conversation_id: str) -> ColumnElement:
    return HandoffRequest.conversation_id == conversation_id


def of_conversation_outbox(conversation_id: str) -> ColumnElement:
    return OutboxSubmission.conversation_id == conversation_id


def finished_handoffs_before(cutoff: datetime) -> ColumnElement:
    return HandoffRequest.status.in_(FINISHED_HANDOFF_STATUSES) & (
        HandoffRequest.closed_at < cutoff
    )


def outbox_final_before(cutoff: datetime) -> ColumnElement:
    """Final since before `cutoff`: its last change (the agency's answer) is older."""
    return OutboxSubmission.updated_at < cutoff

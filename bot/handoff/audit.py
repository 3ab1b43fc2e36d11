"""Counsellor actions and views on a handoff, in the audit trail: ids, states and kinds only.

Who (`counsellor:<user id>`, for every console user), what (the action), which
conversation (its conversation id, and the handoff id in the detail) and when (the
row's time). Never a message text, a name, a number or a revealed value.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.audit import record_audit_event
from bot.db import session_scope
from bot.handoff.models import HandoffRequest

# What the console writes when a user looks (the state changes are written by state.py).
QUEUE_VIEWED = "handoff_queue_viewed"
SUMMARY_VIEWED = "handoff_summary_viewed"
TRANSCRIPT_VIEWED = "handoff_transcript_viewed"
ACCESS_REFUSED = "handoff_access_refused"
PERSONAL_DATA_REVEALED = "personal_data_revealed"


def counsellor_actor(user_id: int) -> str:
    return f"counsellor:{user_id}"


def record_counsellor_action(
    session: Session, request_id: int, counsellor_id: int, action: str, **extra
) -> None:
    """Add `action` by the counsellor on the request to the caller's transaction.

    `extra` goes into the detail with the request id: it must hold no personal data.
    """
    conversation_id = session.execute(
        select(HandoffRequest.conversation_id).where(HandoffRequest.id == request_id)
    ).scalar_one_or_none()
    record_audit_event(
        session,
        actor=counsellor_actor(counsellor_id),
        action=action,
        conversation_id=conversation_id,
        detail={"request_id": request_id, **extra},
    )


def record_console_event(
    factory: sessionmaker, user_id: int, action: str, request_id: int | None = None, **extra
) -> None:
    """A view or a refusal by a console user, in its own transaction.

    With `request_id` the row names the conversation; without (the queue), `extra` says
    which handoffs were shown. `extra` must hold no personal data.
    """
    with session_scope(factory) as session:
        if request_id is None:
            record_audit_event(
                session, actor=counsellor_actor(user_id), action=action, detail=extra
            )
        else:
            record_counsellor_action(session, request_id, user_id, action, **extra)


def record_reveal(
    factory: sessionmaker,
    request_id: int,
    counsellor_id: int,
    field: str | None = None,
    *,
    item: str | None = None,
    kind: str | None = None,
) -> None:
    """The counsellor saw one piece of personal data in clear: a form field (`field`) or
    one item of the transcript (`item`, of `kind`). Which one, never its value."""
    detail = {"field": field} if field is not None else {"item": item, "kind": kind}
    record_console_event(factory, counsellor_id, PERSONAL_DATA_REVEALED, request_id, **detail)

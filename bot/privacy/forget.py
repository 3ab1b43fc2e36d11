"""Forgetting one conversation in the assistant's database ("delete my data").

What goes: the conversation's handoff requests and messages, and its final outbox
records. What stays: an outbox record not delivered yet (deleting it would lose the
citizen's submission; retention deletes it once it is delivered), and the audit trail,
where the conversation is from then on named only by a keyed hash of its id, as in the
new "conversation_forgotten" row. Rasa's own copy of the conversation (the tracker
events) is deleted by the tracker store, in the Rasa process: bot/privacy/tracker_store.py.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import asdict, dataclass
from functools import lru_cache

from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from bot.agency.models import OutboxSubmission
from bot.audit import AuditEvent, record_audit_event
from bot.db import session_scope
from bot.privacy.assistant_records import (
    delete_final_outbox_records,
    delete_handoffs,
    of_conversation_handoffs,
    of_conversation_outbox,
)
from bot.secret_values import read_secret
from bot.settings import Settings

log = logging.getLogger(__name__)

FORGOTTEN_ACTION = "conversation_forgotten"
HASH_KEY_NAME = "CONVERSATION_HASH_KEY"
# Conversation ids are `<channel>:<id in the channel>` (docs/architecture.md).
CHANNEL_KINDS = ("rest", "web", "tg")


@dataclass(frozen=True)
class Forgotten:
    """Counts only: what forgetting one conversation did in the assistant's database."""

    handoff_requests: int
    handoff_messages: int
    outbox_deleted: int
    outbox_kept: int  # not delivered yet: sent later, then deleted by retention
    audit_rows_pseudonymised: int


@lru_cache(maxsize=4)
def hash_key(settings: Settings) -> str:
    """The key of the conversation hash (`CONVERSATION_HASH_KEY` or its `_FILE`; made
    once in var/ on a laptop; production refuses to run without it)."""
    return read_secret(HASH_KEY_NAME, settings.var_dir, production=settings.production)


def conversation_hash(conversation_id: str, key: str) -> str:
    """Names a conversation without revealing it: only the key's holder can tell whose
    conversation a hash is, by hashing a known id again."""
    digest = hmac.new(key.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()
    return f"hmac:{digest}"


def channel_kind(conversation_id: str, latest_channel: str | None = None) -> str:
    """`rest`, `web` or `tg` from the conversation id; else the channel Rasa names."""
    prefix, separator, _ = conversation_id.partition(":")
    if separator and prefix in CHANNEL_KINDS:
        return prefix
    return latest_channel or "unknown"


def forget_conversation(
    factory: sessionmaker, conversation_id: str, *, channel: str, key: str
) -> Forgotten:
    """Forget `conversation_id` in one transaction and audit it (counts only)."""
    hashed = conversation_hash(conversation_id, key)
    with session_scope(factory) as session:
        handoffs = delete_handoffs(session, of_conversation_handoffs(conversation_id))
        outbox_deleted = delete_final_outbox_records(
            session, of_conversation_outbox(conversation_id)
        )
        outbox_kept = session.execute(
            update(OutboxSubmission)
            .where(of_conversation_outbox(conversation_id))
            .values(conversation_id=hashed)
            .execution_options(synchronize_session=False)
        ).rowcount
        audit_rows = session.execute(
            update(AuditEvent)
            .where(AuditEvent.conversation_id == conversation_id)
            .values(conversation_id=hashed)
            .execution_options(synchronize_session=False)
        ).rowcount
        forgotten = Forgotten(
            handoff_requests=handoffs.handoff_requests,
            handoff_messages=handoffs.handoff_messages,
            outbox_deleted=outbox_deleted,
            outbox_kept=outbox_kept,
            audit_rows_pseudonymised=audit_rows,
        )
        record_audit_event(
            session,
            actor="citizen",
            action=FORGOTTEN_ACTION,
            conversation_id=hashed,
            detail={"channel": channel, **asdict(forgotten)},
        )
    log.info("conversation forgotten (%s): %s", channel, asdict(forgotten))
    return forgotten

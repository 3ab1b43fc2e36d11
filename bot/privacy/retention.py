"""Retention: what is older than the retention period is deleted (README, "Privacy and security").

- Rasa's tracker store: conversations idle for longer than the period, whole; in the
  others, the sessions that ended before the cutoff, never the current session
  (`bot.privacy.tracker_retention`).
- The assistant's database: handoff requests (with their messages) closed or handed back
  before the cutoff, and outbox records final before the cutoff. Pending outbox records
  are never deleted, however old.

Run by `python -m bot.ops.cli retention [--days N] [--dry-run]` and once a day by the
action server (`bot.privacy.retention_task`). Reports and logs counts, never what was
deleted.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from bot.audit import record_audit_event
from bot.db import make_engine, make_session_factory, session_scope, utc_now
from bot.privacy.assistant_records import (
    Deleted,
    delete_final_outbox_records,
    delete_handoffs,
    finished_handoffs_before,
    outbox_final_before,
)
from bot.privacy.tracker_retention import TrackerPurge, purge_tracker_store
from bot.settings import Settings

log = logging.getLogger(__name__)

RETENTION_ACTION = "retention_applied"


@dataclass(frozen=True)
class RetentionReport:
    """Counts of one retention run (in a dry run: what it would delete)."""

    days: int
    dry_run: bool
    tracker: TrackerPurge
    assistant: Deleted

    def counts(self) -> dict[str, int]:
        return {
            "tracker_conversations": self.tracker.conversations,
            "tracker_sessions": self.tracker.sessions,
            "tracker_events": self.tracker.events,
            **asdict(self.assistant),
        }

    def summary(self) -> str:
        verb = "would delete" if self.dry_run else "deleted"
        counts = ", ".join(f"{name}={count}" for name, count in self.counts().items())
        return f"retention ({self.days} days) {verb}: {counts}"


def tracker_engine(url: str) -> Engine | None:
    """An engine on Rasa's tracker store; None for a SQLite file Rasa has not made yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and not Path(parsed.database).exists():
            return None
        return create_engine(url, future=True, connect_args={"timeout": 30})
    return create_engine(url, future=True, pool_pre_ping=True)


def purge_tracker(url: str, cutoff: datetime, dry_run: bool) -> TrackerPurge:
    engine = tracker_engine(url)
    if engine is None:
        return TrackerPurge()
    try:
        return purge_tracker_store(engine, cutoff.timestamp(), dry_run=dry_run)
    finally:
        engine.dispose()


def purge_assistant_records(factory: sessionmaker, cutoff: datetime, dry_run: bool) -> Deleted:
    """Delete the handoffs finished and the outbox records final before `cutoff`."""
    with session_scope(factory) as session:
        handoffs = delete_handoffs(session, finished_handoffs_before(cutoff), dry_run=dry_run)
        outbox = delete_final_outbox_records(session, outbox_final_before(cutoff), dry_run=dry_run)
    return Deleted(handoffs.handoff_requests, handoffs.handoff_messages, outbox)


def _audit(factory: sessionmaker, report: RetentionReport) -> None:
    with session_scope(factory) as session:
        record_audit_event(
            session,
            actor="system",
            action=RETENTION_ACTION,
            detail={"days": report.days, **report.counts()},
        )


def apply_retention(
    settings: Settings,
    *,
    days: int | None = None,
    dry_run: bool = False,
    factory: sessionmaker | None = None,
    now: datetime | None = None,
) -> RetentionReport:
    """Delete everything older than `days` (default: the RETENTION_DAYS setting).

    `factory`: the assistant's database (default: a new engine on `settings`). A real run
    leaves one audit row with its counts.
    """
    days = settings.retention_days if days is None else days
    if days < 1:
        raise ValueError("the retention period is at least one day")
    cutoff = (now or utc_now()) - timedelta(days=days)
    engine = None if factory is not None else make_engine(settings.database_url)
    factory = factory or make_session_factory(engine)
    try:
        tracker = purge_tracker(settings.tracker_database_url, cutoff, dry_run)
        assistant = purge_assistant_records(factory, cutoff, dry_run)
        report = RetentionReport(days, dry_run, tracker, assistant)
        if not dry_run:
            _audit(factory, report)
    finally:
        if engine is not None:
            engine.dispose()
    log.info(report.summary())
    return report

"""Retention: the tracker store and the assistant's database, what goes and what stays."""

from __future__ import annotations

import dataclasses
import time

import pytest

from bot.handoff.models import ACTIVE, HANDED_BACK, WAITING
from bot.ops import cli
from bot.privacy.retention import RETENTION_ACTION, apply_retention
from bot.settings import load_settings
from tests.unit.privacy.conversations import conversation, days_ago, session
from tests.unit.privacy.records import (
    add_handoff,
    add_outbox,
    audit_rows,
    handoff_ids,
    message_count,
    outbox_rows,
)


async def _seed(databases) -> dict:
    """Old and recent rows everywhere; returns the ones that must stay."""
    factory, now = databases.factory, time.time()
    store = databases.tracker.store()
    await store.save(conversation("rest:idle", session(days_ago(40, now))))
    await store.save(
        conversation("tg:1", [*session(days_ago(40, now)), *session(days_ago(1, now))])
    )
    await store.save(conversation("web:recent", session(days_ago(2, now))))
    old_closed = add_handoff(factory, "rest:a", closed_days_ago=31)
    old_handed_back = add_handoff(factory, "rest:b", status=HANDED_BACK, closed_days_ago=45)
    kept_handoffs = [
        add_handoff(factory, "rest:c", closed_days_ago=29),  # closed within the period
        add_handoff(factory, "rest:d", status=WAITING, closed_days_ago=None),
        add_handoff(factory, "rest:e", status=ACTIVE, closed_days_ago=None),
    ]
    kept_outbox = {
        add_outbox(factory, "rest:a", status="pending", days_ago=90),  # never delivered
        add_outbox(factory, "rest:a", status="delivered", days_ago=29),
    }
    old_outbox = {
        add_outbox(factory, "rest:a", status="delivered", days_ago=31),
        add_outbox(factory, "rest:b", status="rejected", days_ago=60),
    }
    return {
        "deleted_handoffs": [old_closed, old_handed_back],
        "kept_handoffs": kept_handoffs,
        "kept_outbox": kept_outbox,
        "old_outbox": old_outbox,
    }


def _settings(databases):
    return dataclasses.replace(
        load_settings(),
        database_url=databases.assistant_url,
        tracker_database_url=databases.tracker.url,
        retention_days=30,
    )


async def test_retention_deletes_what_is_older_than_the_period_and_nothing_else(databases):
    seeded = await _seed(databases)
    factory = databases.factory
    idle_events = databases.tracker.count("rest:idle")
    tg_events, recent_events = (
        databases.tracker.count("tg:1"),
        databases.tracker.count("web:recent"),
    )

    report = apply_retention(_settings(databases), factory=factory)

    assert report.counts() == {
        "tracker_conversations": 1,
        "tracker_sessions": 1,
        "tracker_events": idle_events + len(session(0.0)),
        "handoff_requests": 2,
        "handoff_messages": 4,
        "outbox_records": 2,
    }
    assert sorted(databases.tracker.sender_ids()) == ["tg:1", "web:recent"]
    assert databases.tracker.count("tg:1") == tg_events - len(session(0.0))
    assert databases.tracker.count("web:recent") == recent_events
    assert handoff_ids(factory) == seeded["kept_handoffs"]
    assert message_count(factory, seeded["deleted_handoffs"]) == 0
    assert message_count(factory, seeded["kept_handoffs"]) == 6
    assert set(outbox_rows(factory)) == seeded["kept_outbox"]
    [audit] = audit_rows(factory, RETENTION_ACTION)
    assert audit["conversation_id"] is None
    assert audit["detail"] == {"days": 30, **report.counts()}


async def test_a_dry_run_reports_the_same_counts_and_deletes_nothing(databases):
    seeded = await _seed(databases)
    factory = databases.factory
    senders = sorted(databases.tracker.sender_ids())
    handoffs, outbox = handoff_ids(factory), outbox_rows(factory)

    dry = apply_retention(_settings(databases), dry_run=True, factory=factory)

    assert sorted(databases.tracker.sender_ids()) == senders
    assert handoff_ids(factory) == handoffs and outbox_rows(factory) == outbox
    assert audit_rows(factory, RETENTION_ACTION) == []
    real = apply_retention(_settings(databases), factory=factory)
    assert dry.counts() == real.counts() and dry.dry_run and not real.dry_run
    assert set(outbox_rows(factory)) == seeded["kept_outbox"]


async def test_a_longer_period_keeps_more(databases):
    await _seed(databases)
    report = apply_retention(_settings(databases), days=50, factory=databases.factory)
    assert report.counts() == {
        "tracker_conversations": 0,
        "tracker_sessions": 0,
        "tracker_events": 0,
        "handoff_requests": 0,
        "handoff_messages": 0,
        "outbox_records": 1,  # the rejected one, final for 60 days
    }


def test_the_period_is_at_least_a_day(tmp_path):
    settings = dataclasses.replace(load_settings(), database_url=f"sqlite:///{tmp_path}/a.db")
    with pytest.raises(ValueError):
        apply_retention(settings, days=0)


def test_a_tracker_store_rasa_has_not_created_yet_is_skipped(factory, tmp_path):
    settings = dataclasses.replace(
        load_settings(), tracker_database_url=f"sqlite:///{tmp_path / 'not-yet.db'}"
    )
    report = apply_retention(settings, factory=factory)
    assert report.tracker.events == 0
    assert not (tmp_path / "not-yet.db").exists()


async def test_the_command_line_prints_counts_only(databases, monkeypatch, capsys):
    await _seed(databases)
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", databases.assistant_url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", databases.tracker.url)
    monkeypatch.setenv("RETENTION_DAYS", "30")

    cli.main(["retention", "--dry-run"])
    dry = capsys.readouterr().out
    cli.main(["retention", "--days", "30"])
    real = capsys.readouterr().out

    assert dry.startswith("retention (30 days) would delete: tracker_conversations=1,")
    assert real == dry.replace("would delete", "deleted")
    assert "outbox_records=2" in real
    for private in ("rest:idle", "tg:1", "rest:a", "85073003328", "Peeters"):
        assert private not in dry + real
    assert len(audit_rows(databases.factory, RETENTION_ACTION)) == 1  # the real run only
    with pytest.raises(SystemExit, match="at least one day"):
        cli.main(["retention", "--days", "0"])

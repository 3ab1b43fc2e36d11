"""Two counsellors can never take the same conversation: many threads, exactly one wins."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, select

from bot.accounts.models import User
from bot.audit import AuditEvent
from bot.db import make_engine, make_session_factory, session_scope
from bot.handoff import queries, state
from bot.models import metadata
from tests.support import scratch_postgres_database

THREADS = 12
ROUNDS = 3


@pytest.fixture
def postgres_url():
    with scratch_postgres_database("handoff_test") as url:
        yield url


def take_all_at_once(factory, request_id: int, counsellor_ids: list[int]):
    """Every counsellor calls take() in its own thread (own session), released together."""
    gate = threading.Barrier(len(counsellor_ids))
    results: dict[int, bool] = {}
    errors: list[BaseException] = []

    def attempt(counsellor_id: int) -> None:
        try:
            gate.wait(timeout=10)
            results[counsellor_id] = state.take(factory, request_id, counsellor_id)
        except BaseException as error:  # pragma: no cover - reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=attempt, args=(cid,)) for cid in counsellor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


def race(engine) -> None:
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    with session_scope(factory) as session:
        users = [
            User(username=f"c{i}", password_hash="x", role="counsellor") for i in range(THREADS)
        ]
        session.add_all(users)
        session.flush()
        counsellor_ids = [user.id for user in users]

    for round_ in range(ROUNDS):
        request, _ = state.request_handoff(factory, f"conv-{round_}", "rest", "nl", "asked")
        results, errors = take_all_at_once(factory, request.id, counsellor_ids)
        assert errors == []
        assert len(results) == THREADS
        winners = [cid for cid, won in results.items() if won]
        assert len(winners) == 1
        holder = queries.holder_of(factory, f"conv-{round_}")
        assert holder is not None and holder.counsellor_id == winners[0]
        with session_scope(factory) as session:
            taken = session.execute(
                select(AuditEvent).where(
                    AuditEvent.action == "handoff_taken",
                    AuditEvent.conversation_id == f"conv-{round_}",
                )
            ).all()
        assert len(taken) == 1


def test_concurrent_take_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    try:
        race(engine)
    finally:
        engine.dispose()


def test_concurrent_take_on_postgresql(postgres_url):
    engine = create_engine(postgres_url, future=True, pool_size=THREADS + 2)
    try:
        race(engine)
    finally:
        engine.dispose()

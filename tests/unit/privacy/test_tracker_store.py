"""The tracker store forgets a conversation in the turn that ran action_forget_me."""

from __future__ import annotations

import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    AllSlotsReset,
    Event,
    SessionStarted,
    UserUttered,
)
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text

from actions.privacy import ActionForgetMe
from bot.privacy.tracker_store import FORGET_ACTION, ForgettingSQLTrackerStore, ran_forget_me
from tests.unit.privacy.conversations import (
    DOMAIN,
    conversation,
    days_ago,
    forget_me_turn,
    session,
)


def test_rasa_builds_it_from_the_endpoints_settings(databases):
    store = databases.tracker.store()
    assert isinstance(store, ForgettingSQLTrackerStore)
    assert isinstance(store, SQLTrackerStore)
    assert store.engine.dialect.name == databases.kind


async def test_a_turn_without_forget_me_is_saved_as_usual(databases):
    store = databases.tracker.store()
    tracker = conversation("rest:keep", session(days_ago(0)))
    await store.save(tracker)
    assert databases.tracker.count("rest:keep") == len(tracker.events)
    retrieved = await store.retrieve("rest:keep")
    started = next(e.timestamp for e in tracker.events if isinstance(e, SessionStarted))
    assert [e.as_dict() for e in retrieved.events] == [
        e.as_dict() for e in tracker.events if e.timestamp >= started
    ]


async def test_forget_me_deletes_every_event_of_that_conversation_only(databases):
    store = databases.tracker.store()
    now = time.time()
    older_session = session(days_ago(3, now), text_said="ik ben Jan Peeters")
    forgetful = conversation("rest:forget", [*older_session, *session(days_ago(0, now))])
    other = conversation("rest:other", session(days_ago(0, now)))
    await store.save(forgetful)  # earlier turns, already stored
    await store.save(other)

    current = await store.retrieve("rest:forget")
    for event in forget_me_turn(now + 10):
        current.update(event, DOMAIN)
    await store.save(current)

    assert databases.tracker.count("rest:forget") == 0  # the older session too
    assert await store.retrieve("rest:forget") is None
    assert databases.tracker.count("rest:other") == len(other.events)
    # The next message starts a new conversation, stored from its first event.
    fresh = conversation("rest:forget", session(now + 20))
    await store.save(fresh)
    assert databases.tracker.count("rest:forget") == len(fresh.events)


async def test_a_forget_me_that_failed_keeps_the_conversation(databases):
    store = databases.tracker.store()
    first = conversation("tg:42", session(days_ago(0)))
    await store.save(first)
    tracker = await store.retrieve("tg:42")  # each turn, as Rasa does
    turn = forget_me_turn(time.time() + 10, succeeded=False)
    for event in turn:
        tracker.update(event, DOMAIN)
    await store.save(tracker)
    assert databases.tracker.count("tg:42") == len(first.events) + len(turn)


async def test_forget_me_stored_in_an_earlier_turn_does_not_delete_again(databases):
    """Only the turn being saved counts: a new conversation is not deleted at each save."""
    store = databases.tracker.store()
    now = time.time()
    tracker = conversation("web:abc", [*session(now), *forget_me_turn(now + 100)])
    await store.save(tracker)
    assert databases.tracker.count("web:abc") == 0
    fresh = conversation("web:abc", session(now + 200))
    await store.save(fresh)
    tracker = await store.retrieve("web:abc")
    tracker.update(UserUttered("hallo", {"name": "greet"}, timestamp=now + 300), DOMAIN)
    tracker.update(ActionExecuted("action_listen", timestamp=now + 301), DOMAIN)
    await store.save(tracker)
    assert databases.tracker.count("web:abc") == len(fresh.events) + 2


def _logged(action_events: list[Event]) -> list[Event]:
    return [ActionExecuted(FORGET_ACTION), *action_events, ActionExecuted("action_listen")]


@pytest.mark.parametrize(
    ("events", "forgets"),
    [
        (_logged([AllSlotsReset()]), True),
        (_logged([]), False),  # the action failed: Rasa logs it without its events
        ([ActionExecuted("action_restart"), AllSlotsReset()], False),
        ([ActionExecuted(FORGET_ACTION), ActionExecuted("utter_greet"), AllSlotsReset()], False),
        ([], False),
    ],
)
def test_ran_forget_me(events, forgets):
    assert ran_forget_me(events) is forgets


async def test_what_action_forget_me_returns_is_what_the_store_looks_for(monkeypatch):
    """The contract between the action server and the Rasa process, on Rasa's events."""
    import actions.privacy as privacy

    monkeypatch.setattr(privacy, "forget_conversation", lambda *args, **kwargs: None)
    monkeypatch.setattr(privacy, "hash_key", lambda settings: "key")
    action = ActionForgetMe()
    tracker = Tracker("rest:x", {"language": "en"}, {}, [], False, None, {}, "action_listen")
    returned = await action.run(CollectingDispatcher(), tracker, {})
    logged = [ActionExecuted(action.name()), *(Event.from_parameters(e) for e in returned)]
    assert action.name() == FORGET_ACTION
    assert ran_forget_me(logged)


async def test_it_stores_the_same_rows_as_rasas_own_store(databases, tmp_path):
    """`save` is written out (one count per turn); the rows must be Rasa's, turn by turn."""
    ours = databases.tracker.store()
    rasas = SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    now = time.time()
    first = conversation("rest:same", session(days_ago(0, now), text_said="hallo"))
    second_turn = [
        ActionExecuted("action_listen", timestamp=now + 1),
        UserUttered("nog iets", {"name": "inform", "confidence": 0.8}, timestamp=now + 2),
    ]
    for store in (ours, rasas):
        await store.save(first)
        tracker = await store.retrieve("rest:same")
        for event in second_turn:
            tracker.update(event, DOMAIN)
        await store.save(tracker)

    columns = "type_name, timestamp, intent_name, action_name, data"
    query = f"SELECT {columns} FROM events WHERE sender_id = 'rest:same' ORDER BY id"
    with rasas.session_scope() as db_session:
        expected = [tuple(row) for row in db_session.execute(text(query))]
    assert databases.tracker.query(query) == expected
    assert len(expected) == len(first.events) + len(second_turn)

"""The citizen's side of a handoff, without servers: the policy's choice, and the actions'
words and events against a real SQLite database."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff as handoff_actions
from bot import runtime
from bot.db import session_scope
from bot.geo import AGENCIES as GEO_AGENCIES
from bot.handoff import messages, office_hours, queries, state
from bot.i18n.catalog import get_catalog
from bot.rasa_plugins.policies.handoff import RELAY_ACTION, next_action_while_held
from bot.settings import OFFICE_HOURS_ENV

CATALOG = get_catalog()
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AGENCIES = ("default", *GEO_AGENCIES)


# --- the policy ------------------------------------------------------------------------


def rasa_tracker(*events, **slots) -> DialogueStateTracker:
    held = [AnySlot(name, mappings=[{}]) for name in ("handoff_active", "handoff_leaving_message")]
    tracker = DialogueStateTracker("c", slots=held)
    for name, value in slots.items():
        tracker.update(SlotSet(name, value))
    for event in events:
        tracker.update(event)
    return tracker


def user(text: str = "hello") -> UserUttered:
    return UserUttered(text, {"name": "greet", "confidence": 1.0})


def test_the_policy_relays_every_citizen_message_while_held():
    held = rasa_tracker(ActionExecuted(ACTION_LISTEN_NAME), user(), handoff_active=True)
    assert next_action_while_held(held) == RELAY_ACTION


def test_the_policy_ends_the_turn_after_the_relay():
    tracker = rasa_tracker(
        ActionExecuted(ACTION_LISTEN_NAME),
        user(),
        ActionExecuted(RELAY_ACTION),
        handoff_active=True,
    )
    assert next_action_while_held(tracker) == ACTION_LISTEN_NAME


def test_the_forget_me_button_is_obeyed_while_held_and_typed_words_are_relayed():
    confirmed = UserUttered("/forget_me_confirmed", {"name": "forget_me_confirmed"})
    held = rasa_tracker(ActionExecuted(ACTION_LISTEN_NAME), confirmed, handoff_active=True)
    assert next_action_while_held(held) is None  # the rules run action_forget_me
    typed = UserUttered("verwijder mijn gegevens", {"name": "forget_me", "confidence": 0.99})
    held = rasa_tracker(ActionExecuted(ACTION_LISTEN_NAME), typed, handoff_active=True)
    assert next_action_while_held(held) == RELAY_ACTION


def test_the_policy_stays_out_of_the_way_when_nobody_holds_the_conversation():
    free = rasa_tracker(ActionExecuted(ACTION_LISTEN_NAME), user(), handoff_active=False)
    assert next_action_while_held(free) is None


def test_the_policy_waits_for_the_left_message_after_the_offer():
    tracker = rasa_tracker(
        ActionExecuted(ACTION_LISTEN_NAME),
        user(),
        ActionExecuted("action_request_handoff"),
        handoff_leaving_message=True,
    )
    assert next_action_while_held(tracker) == ACTION_LISTEN_NAME
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    tracker.update(user("mijn vraag"))
    assert next_action_while_held(tracker) == RELAY_ACTION


# --- the actions against a database ----------------------------------------------------


@pytest.fixture
def factory(factory, monkeypatch):
    """The test database, where the actions find it (bot.runtime)."""
    monkeypatch.setattr(runtime, "session_factory", lambda: factory)
    return factory


def office(monkeypatch, open_days: tuple[str, ...]) -> None:
    week = {day: ["09:00", "17:00"] if day in open_days else [] for day in WEEK}
    monkeypatch.setenv(OFFICE_HOURS_ENV, json.dumps({a: week for a in AGENCIES}))


def always_open(monkeypatch) -> None:
    week = {day: ["00:00", "23:59"] for day in WEEK}
    monkeypatch.setenv(OFFICE_HOURS_ENV, json.dumps({a: week for a in AGENCIES}))


def sdk_tracker(text: str = "/human_handoff", active_loop: str | None = None, **slots) -> Tracker:
    return Tracker(
        "citizen-1",
        {"language": "en", "requested_slot": None, **slots},
        {"text": text, "intent": {"name": "human_handoff", "confidence": 1.0}, "entities": []},
        [{"event": "user", "text": text, "input_channel": "telegram", "parse_data": {}}],
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


async def test_in_office_hours_the_citizen_hears_place_and_wait(factory, monkeypatch):
    always_open(monkeypatch)
    state.request_handoff(factory, "someone-else", "rest", "nl", "asked")
    dispatcher = CollectingDispatcher()
    events = await handoff_actions.ActionRequestHandoff().run(dispatcher, sdk_tracker(), {})
    assert events == []
    expected = CATALOG.text("utter_handoff_requested", "en", position=2, minutes=16)
    assert texts(dispatcher) == [expected]
    with session_scope(factory) as session:
        stored = queries.open_request(session, "citizen-1")
        assert stored.channel == "telegram" and stored.language == "en"


async def test_outside_office_hours_the_citizen_may_leave_a_message(factory, monkeypatch):
    tomorrow = WEEK[(datetime.now(office_hours.office_timezone()).weekday() + 1) % 7]
    office(monkeypatch, (tomorrow,))
    dispatcher = CollectingDispatcher()
    events = await handoff_actions.ActionRequestHandoff().run(dispatcher, sdk_tracker(), {})
    assert events == [
        {"event": "slot", "timestamp": None, "name": "handoff_leaving_message", "value": True}
    ]
    said = texts(dispatcher)[0]
    assert "tomorrow at 09:00" in said
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["title"] for b in buttons] == [CATALOG.text("button_no_message", "en")]

    # The next message is kept for the counsellors, and the citizen is told so.
    dispatcher = CollectingDispatcher()
    tracker = sdk_tracker("I lost my job last week, what now", handoff_leaving_message=True)
    events = await handoff_actions.ActionHandoffRelay().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [CATALOG.text("utter_handoff_message_saved", "en")]
    assert {
        "event": "slot",
        "timestamp": None,
        "name": "handoff_leaving_message",
        "value": False,
    } in events
    with session_scope(factory) as session:
        request = queries.open_request(session, "citizen-1")
        request_id = request.id
    stored = messages.conversation_messages(factory, request_id)
    assert [(m.direction, m.text) for m in stored] == [
        ("citizen", "I lost my job last week, what now")
    ]


async def test_no_message_button_keeps_nothing(factory, monkeypatch):
    always_open(monkeypatch)
    state.request_handoff(factory, "citizen-1", "rest", "en", "asked")
    dispatcher = CollectingDispatcher()
    tracker = sdk_tracker("/deny", handoff_leaving_message=True)
    await handoff_actions.ActionHandoffRelay().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [CATALOG.text("utter_handoff_no_message", "en")]
    with session_scope(factory) as session:
        request_id = queries.open_request(session, "citizen-1").id
    assert messages.conversation_messages(factory, request_id) == []


async def test_sync_announces_the_counsellor_delivers_and_resumes(factory, monkeypatch, add_user):
    always_open(monkeypatch)
    anna = add_user("anna")
    request, _ = state.request_handoff(factory, "citizen-1", "rest", "en", "asked")
    assert state.take(factory, request.id, anna)
    messages.add_counsellor_message(factory, request.id, anna, "Hello, how can I help?")

    dispatcher = CollectingDispatcher()
    events = await handoff_actions.ActionHandoffSync().run(dispatcher, sdk_tracker("x"), {})
    assert texts(dispatcher) == [
        CATALOG.text("utter_handoff_taken", "en", name="Anna"),
        "Hello, how can I help?",
    ]
    assert {"event": "slot", "timestamp": None, "name": "handoff_active", "value": True} in events
    assert events[-1]["event"] == "action" and events[-1]["name"] == "action_listen"
    assert messages.undelivered_messages(factory, "citizen-1") == []

    # A second sync says nothing new: the messages were delivered once.
    dispatcher = CollectingDispatcher()
    await handoff_actions.ActionHandoffSync().run(
        dispatcher, sdk_tracker("x", handoff_active=True), {}
    )
    assert texts(dispatcher) == []

    # Hand back mid-form: the assistant says so and asks the question again.
    assert state.hand_back(factory, request.id, anna)
    dispatcher = CollectingDispatcher()
    tracker = sdk_tracker(
        "x", active_loop="registration_form", handoff_active=True, requested_slot="phone"
    )
    events = await handoff_actions.ActionHandoffSync().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [
        CATALOG.text("utter_handoff_resumed", "en"),
        CATALOG.text("utter_ask_phone", "en"),
    ]
    assert {"event": "slot", "timestamp": None, "name": "handoff_active", "value": False} in events


async def test_relay_stores_the_message_and_says_nothing(factory, monkeypatch, add_user):
    anna = add_user("anna")
    request, _ = state.request_handoff(factory, "citizen-1", "rest", "en", "asked")
    state.take(factory, request.id, anna)
    dispatcher = CollectingDispatcher()
    tracker = sdk_tracker("x" * 5000, handoff_active=True)
    events = await handoff_actions.ActionHandoffRelay().run(dispatcher, tracker, {})
    assert events == [] and dispatcher.messages == []
    stored = messages.conversation_messages(factory, request.id)
    assert len(stored) == 1 and len(stored[0].text) == messages.MAX_MESSAGE_LENGTH


async def test_relay_passes_delete_my_data_on_and_offers_its_button(factory, add_user):
    anna = add_user("anna")
    request, _ = state.request_handoff(factory, "citizen-1", "rest", "en", "asked")
    state.take(factory, request.id, anna)
    dispatcher = CollectingDispatcher()
    tracker = sdk_tracker("delete my data", handoff_active=True)
    tracker.latest_message["intent"] = {"name": "forget_me", "confidence": 0.97}
    assert await handoff_actions.ActionHandoffRelay().run(dispatcher, tracker, {}) == []
    assert [m.text for m in messages.conversation_messages(factory, request.id)] == [
        "delete my data"
    ]
    [offer] = dispatcher.messages
    assert offer["text"] == CATALOG.text("utter_confirm_forget", "en")
    assert [b["payload"] for b in offer["buttons"]] == ["/forget_me_confirmed"]


async def test_relay_resumes_when_the_console_could_not_tell_the_assistant(factory):
    dispatcher = CollectingDispatcher()
    tracker = sdk_tracker("are you there?", handoff_active=True)
    events = await handoff_actions.ActionHandoffRelay().run(dispatcher, tracker, {})
    assert texts(dispatcher) == [CATALOG.text("utter_handoff_resumed_idle", "en")]
    assert {"event": "slot", "timestamp": None, "name": "handoff_active", "value": False} in events

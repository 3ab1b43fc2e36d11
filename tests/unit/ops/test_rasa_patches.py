"""The patches in bot/ops/rasa_patches.py behave as the Rasa functions they replace."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
from rasa.shared.exceptions import RasaException

from bot.ops import rasa_patches

VALID_RESPONSES: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {
        "events": [
            {"event": "slot", "name": "given_name", "value": "Daan", "timestamp": None},
            {"event": "active_loop", "name": "registration_form"},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"response": "utter_ask_family_name", "buttons": []}],
    },
    {"responses": [{"text": "hello"}]},
]

INVALID_RESPONSES: list[Any] = [
    {"events": "not a list"},
    {"events": [{"event": "slot"}]},  # a slot event without its name
    {"events": [{"event": "no_such_event"}]},
    {"responses": ["a string, not an object"]},
    [],
]


def _unpatched_action_check(result: Any) -> Exception | None:
    """What Rasa's own `_validate_action_result` raises (None when it accepts)."""
    try:
        jsonschema.validate(result, RemoteAction.action_response_format_spec())
    except jsonschema.ValidationError as error:
        return error
    return None


@pytest.mark.parametrize("result", VALID_RESPONSES)
def test_a_valid_action_response_passes_as_before(result: dict[str, Any]) -> None:
    assert _unpatched_action_check(result) is None
    assert rasa_patches._validate_action_result(None, copy.deepcopy(result)) is True


@pytest.mark.parametrize("result", INVALID_RESPONSES)
def test_an_invalid_action_response_fails_with_rasas_error(result: Any) -> None:
    expected = _unpatched_action_check(result)
    assert expected is not None, "the case must be invalid for Rasa too"
    with pytest.raises(jsonschema.ValidationError) as caught:
        rasa_patches._validate_action_result(None, result)
    assert caught.value.message.startswith(expected.message)
    assert "Failed to validate Action server response" in caught.value.message
    assert list(caught.value.path) == list(expected.path)


def test_validators_are_built_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []
    original = rasa_patches.compiled_validator
    monkeypatch.setattr(
        rasa_patches, "compiled_validator", lambda schema: built.append(1) or original(schema)
    )
    rasa_patches.action_response_validator.cache_clear()
    rasa_patches.fast_action_response_check.cache_clear()

    def check_both() -> None:
        rasa_patches._validate_action_result(None, VALID_RESPONSES[1])
        with pytest.raises(jsonschema.ValidationError):
            rasa_patches._validate_action_result(None, INVALID_RESPONSES[1])

    check_both()
    after_first = len(built)
    for _ in range(5):
        check_both()
    assert after_first > 0
    assert len(built) == after_first


def test_nlg_responses_are_checked_as_before() -> None:
    assert rasa_patches._validate_nlg_response(None) is True
    assert rasa_patches._validate_nlg_response({"text": "Hallo", "buttons": []}) is True
    with pytest.raises(RasaException, match="Failed to validate NLG response"):
        rasa_patches._validate_nlg_response({"text": 3})


def test_install_replaces_rasas_functions_once() -> None:
    rasa_patches.install()
    rasa_patches.install()
    assert RemoteAction._validate_action_result is rasa_patches._validate_action_result
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(VALID_RESPONSES[1]) is True
    with pytest.raises(jsonschema.ValidationError):
        action._validate_action_result(INVALID_RESPONSES[1])
    with pytest.raises(RasaException):
        CallbackNaturalLanguageGenerator.validate_response({"text": 3})


# The fast road must accept exactly what the full schema accepts.
_EVENT_NAMES = [
    "user", "action", "slot", "entities", "user_featurization", "cancel_reminder",
    "reminder", "action_execution_rejected", "form_validation", "loop_interrupted",
    "form", "active_loop", "reset_slots", "resume", "pause", "followup", "export",
    "restart", "undo", "rewind", "bot", "session_started", "agent", "no_such_event",
]  # fmt: skip
_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip
_keys = st.sampled_from(
    ["name", "value", "timestamp", "text", "policy", "confidence", "entities", "parse_data",
     "metadata", "validate", "is_interrupted", "trigger_intent", "date_time", "data"]
)  # fmt: skip
_events = st.one_of(
    st.builds(
        lambda name, extra: {"event": name, **extra},
        st.sampled_from(_EVENT_NAMES),
        st.dictionaries(_keys, _values, max_size=4),
    ),
    _values,
)
_responses = st.fixed_dictionaries(
    {},
    optional={
        "events": st.one_of(st.lists(_events, max_size=4), _values),
        "responses": st.one_of(st.lists(st.one_of(_values, st.just({})), max_size=2), _values),
    },
)


@settings(max_examples=400, deadline=None)
@given(_responses)
def test_the_fast_check_accepts_exactly_what_the_schema_accepts(result: Any) -> None:
    full = rasa_patches.compiled_validator(RemoteAction.action_response_format_spec())
    assert rasa_patches.fast_action_response_check().is_valid(result) == full.is_valid(result)


def test_every_event_rasa_writes_passes_the_fast_check() -> None:
    from rasa.shared.core import events as rasa_events

    written = [
        rasa_events.UserUttered("hallo", {"name": "greet", "confidence": 0.9}, []),
        rasa_events.ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0),
        rasa_events.SlotSet("given_name", "Daan"),
        rasa_events.ActiveLoop("registration_form"),
        rasa_events.BotUttered("Hallo", {"buttons": []}, {"utter_action": "utter_greet"}),
        rasa_events.FollowupAction("action_listen"),
        rasa_events.SessionStarted(),
        rasa_events.Restarted(),
        rasa_events.AllSlotsReset(),
        rasa_events.ConversationPaused(),
        rasa_events.ConversationResumed(),
        rasa_events.UserUtteranceReverted(),
        rasa_events.ActionReverted(),
        rasa_events.LoopInterrupted(True),
        rasa_events.ActionExecutionRejected("registration_form"),
        rasa_events.EntitiesAdded([{"entity": "email", "value": "x@y.be"}]),
    ]
    result = {"events": [event.as_dict() for event in written], "responses": []}
    assert rasa_patches.fast_action_response_check().is_valid(result)


def test_every_event_type_resolves_to_rasas_class() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    rasa_patches.install()
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert len(names) > 20
    for name in names:
        expected = next(c for c in all_subclasses(Event) if c.type_name == name)
        assert Event.resolve_by_type(name) is expected


def test_unknown_event_types_behave_as_in_rasa() -> None:
    from rasa.shared.core.events import Event, SlotSet

    rasa_patches.install()
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_imported_later_is_found() -> None:
    from rasa.shared.core.events import Event, SlotSet

    rasa_patches.install()
    Event.resolve_by_type("slot")  # the table exists

    class LateEvent(SlotSet):
        type_name = "late_event_for_the_test"

    assert Event.resolve_by_type("late_event_for_the_test") is LateEvent


def test_stored_events_load_the_same_with_the_table() -> None:
    from rasa.shared.core import events as rasa_events

    rasa_patches.install()
    stored = [
        rasa_events.SessionStarted().as_dict(),
        rasa_events.UserUttered("hallo", {"name": "greet", "confidence": 1.0}).as_dict(),
        rasa_events.SlotSet("language", "nl").as_dict(),
        rasa_events.ActiveLoop("registration_form").as_dict(),
    ]
    loaded = rasa_events.deserialise_events(stored)
    assert [event.as_dict() for event in loaded] == stored

"""validate_registration_form on tracker fixtures: answers first, then interruptions."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.ask import QUESTION_ACTIONS
from tests.unit.actions.trackers import CATALOG, DOMAIN, run_form, tracker

STOP = {"slot": "given_name", "value": "Stop", "intent": "stop", "entities": {}}


@pytest.mark.parametrize(
    ("name", "nlu_intent"),
    [("Daan", "stop"), ("Hope", "stop"), ("Els", "switch_language"), ("Rob", "bot_challenge")],
)
async def test_a_word_like_name_is_taken_whatever_the_nlu_said(name, nlu_intent):
    slots, _ = await run_form(tracker(name, nlu_intent))
    assert slots["given_name"] == name
    assert slots["failed_attempts"] == 0.0


async def test_the_name_is_taken_out_of_a_sentence():
    slots, _ = await run_form(tracker("je m'appelle rose", "inform", language="fr"))
    assert slots["given_name"] == "Rose"


async def test_a_command_word_is_asked_about_not_taken():
    slots, _ = await run_form(tracker("Stop", "stop"))
    assert slots["given_name"] is None
    assert slots["pending_answer"] == {**STOP, "source": "Stop"}


async def test_the_question_about_a_command_word_has_two_buttons():
    pending = {**STOP, "source": "Stop"}
    dispatcher = CollectingDispatcher()
    ask = QUESTION_ACTIONS["given_name"]()
    await ask.run(dispatcher, tracker("Stop", "stop", pending_answer=pending), DOMAIN)
    [message] = dispatcher.messages
    assert message["text"] == CATALOG.text("utter_clarify_given_name", "en", value="Stop")
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        (CATALOG.text("button_clarify_yes_given_name", "en"), "/affirm"),
        (CATALOG.text("button_clarify_no_stop", "en"), "/stop"),
    ]


async def test_the_language_button_names_the_language():
    pending = {
        "slot": "given_name",
        "value": "English",
        "intent": "switch_language",
        "entities": {"language": "en"},
        "source": "English",
    }
    dispatcher = CollectingDispatcher()
    current = tracker("English", "switch_language", language="nl", pending_answer=pending)
    await QUESTION_ACTIONS["given_name"]().run(dispatcher, current, DOMAIN)
    buttons = dispatcher.messages[0]["buttons"]
    assert buttons[1] == {"title": "Nee: English", "payload": '/switch_language{"language": "en"}'}


async def test_yes_keeps_the_word_as_the_name_and_clears_the_question():
    pending = {**STOP, "source": "Stop"}
    current = tracker("/affirm", "affirm", 1.0, before=["Stop"], pending_answer=pending)
    slots, _ = await run_form(current)
    assert slots["given_name"] == "Stop"
    assert slots["pending_answer"] is None


async def test_a_yes_after_a_detour_is_not_taken_for_the_old_question():
    pending = {**STOP, "source": "Stop"}
    current = tracker("yes", "affirm", before=["Stop", "/help"], pending_answer=pending)
    slots, _ = await run_form(current)
    assert slots["given_name"] == "Yes"  # an answer like any other, not "Stop"


async def test_the_question_is_not_asked_again_after_a_detour():
    pending = {**STOP, "source": "Stop"}
    dispatcher = CollectingDispatcher()
    current = tracker("/help", "help", 1.0, before=["Stop"], pending_answer=pending)
    await QUESTION_ACTIONS["given_name"]().run(dispatcher, current, DOMAIN)
    assert dispatcher.messages[0]["text"] == CATALOG.text("utter_ask_given_name", "en")


async def test_a_typed_no_does_what_the_word_meant():
    pending = {**STOP, "source": "Stop"}
    current = tracker("nee", "deny", before=["Stop"], pending_answer=pending, language="nl")
    slots, _ = await run_form(current)
    assert slots["requested_slot"] == "stop_confirmed"


async def test_a_typed_no_to_help_explains_the_question():
    pending = {**STOP, "value": "Help", "intent": "help", "source": "Help"}
    current = tracker("no", "deny", before=["Help"], pending_answer=pending)
    slots, dispatcher = await run_form(current)
    assert dispatcher.messages[0]["text"] == CATALOG.text("utter_explain_given_name", "en")
    assert slots["given_name"] is None


async def test_an_interruption_extracts_nothing_so_the_rules_answer_it():
    slots, _ = await run_form(tracker("can you help me please", "help", 0.97))
    assert "given_name" not in slots


async def test_off_topic_misread_as_a_change_keeps_the_question():
    current = tracker(
        "who won the match yesterday", "change_answer", 0.85, requested_slot="postcode"
    )
    slots, dispatcher = await run_form(current)
    assert dispatcher.messages[0]["text"] == CATALOG.text("utter_out_of_scope_in_form", "en")
    assert slots == {"postcode": None}


async def test_stop_typed_alone_on_a_number_question_asks_to_stop():
    slots, _ = await run_form(tracker("stop", "stop", requested_slot="postcode"))
    assert slots["requested_slot"] == "stop_confirmed"


async def test_a_sentence_is_not_taken_for_a_name():
    slots, dispatcher = await run_form(tracker("wat is het weer morgen", "inform", 0.6))
    assert slots["given_name"] is None
    assert CATALOG.text("utter_invalid_given_name", "en") in dispatcher.messages[0]["text"]


async def test_one_form_step_decides_once(monkeypatch):
    import actions.common
    import actions.forms.base

    calls = []
    real = actions.common.decide

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(actions.common, "decide", counting)
    slots, _ = await run_form(tracker("Daan", "stop"))
    assert slots["given_name"] == "Daan"
    assert len(calls) == 1
    assert actions.forms.base._DECISION.get() is None  # nothing leaks to the next request

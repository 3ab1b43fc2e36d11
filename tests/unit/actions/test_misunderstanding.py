"""action_handle_misunderstanding: off-topic is told apart from not understood."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionHandleMisunderstanding
from bot.i18n.catalog import get_catalog

CATALOG = get_catalog()


def tracker(intents: list[str], active_loop: str | None = None) -> Tracker:
    events = [
        {"event": "user", "text": name, "parse_data": {"intent": {"name": name}}}
        for name in intents
    ]
    return Tracker(
        "citizen-1",
        {"language": "en"},
        {"text": intents[-1], "intent": {"name": intents[-1], "confidence": 0.9}},
        events,
        False,
        None,
        {"name": active_loop} if active_loop else {},
        "action_listen",
    )


@pytest.mark.parametrize(
    ("intents", "active_loop", "key"),
    [
        (["out_of_scope"], None, "utter_out_of_scope"),
        (["out_of_scope"], "registration_form", "utter_out_of_scope_in_form"),
        (["nlu_fallback"], None, "utter_not_understood"),
        (["greet", "out_of_scope", "out_of_scope"], None, "utter_offer_handoff_off_topic"),
        (["out_of_scope", "nlu_fallback"], None, "utter_offer_handoff"),
    ],
)
async def test_what_the_citizen_hears(intents, active_loop, key):
    dispatcher = CollectingDispatcher()
    await ActionHandleMisunderstanding().run(dispatcher, tracker(intents, active_loop), {})
    assert dispatcher.messages[0]["text"] == CATALOG.text(key, "en")

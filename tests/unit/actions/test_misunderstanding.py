"""action_handle_misunderstanding: off-topic is told apart from not understood."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionHandleMisunderstanding
from tests.unit.actions.trackers import CATALOG, tracker


def conversation(intents: list[str], active_loop: str | None = None) -> Tracker:
    """The citizen's messages, each one the name of its intent; the last one is new."""
    *earlier, latest = intents
    return tracker(
        latest,
        latest,
        0.9,
        before=[(name, name) for name in earlier],
        form=active_loop,
        requested_slot=None,
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
    await ActionHandleMisunderstanding().run(dispatcher, conversation(intents, active_loop), {})
    assert dispatcher.messages[0]["text"] == CATALOG.text(key, "en")

"""Help, repeat, stop, misunderstandings: the conversation around the forms."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.common import latest_intent, say
from bot.i18n.catalog import get_catalog

MISUNDERSTOOD = ("nlu_fallback", "out_of_scope")


class ActionExplainCurrentQuestion(Action):
    """`help` or `repeat` inside a form: explain the question; the form asks it again."""

    def name(self) -> str:
        return "action_explain_current_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        explain_question(dispatcher, tracker, tracker.get_slot(REQUESTED_SLOT))
        return []


def explain_question(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str | None) -> None:
    """Say what the question about `slot` means (or what we can do, outside a form)."""
    key = f"utter_explain_{slot}"
    if slot and get_catalog().has(key):
        say(dispatcher, tracker, key)
    else:
        say(dispatcher, tracker, "utter_help")


class ActionRepeatLastMessage(Action):
    """`repeat` outside a form: say the last message again, with its buttons."""

    def name(self) -> str:
        return "action_repeat_last_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        for event in reversed(tracker.events):
            if event.get("event") == "bot" and event.get("text"):
                data = event.get("data") or {}
                dispatcher.utter_message(text=event["text"], buttons=data.get("buttons") or None)
                return []
        say(dispatcher, tracker, "utter_help")
        return []


def misunderstandings_in_a_row(tracker: Tracker) -> int:
    """How many of the latest user messages in a row were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name in MISUNDERSTOOD:
            count += 1
        else:
            break
    return count


class ActionHandleMisunderstanding(Action):
    """Not understood: say what we can do; the second time in a row, offer a person."""

    def name(self) -> str:
        return "action_handle_misunderstanding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        off_topic = latest_intent(tracker)[0] == "out_of_scope"
        if misunderstandings_in_a_row(tracker) >= 2:
            # Twice off-topic: we understood, we just cannot help; a person can say where.
            key = "utter_offer_handoff_off_topic" if off_topic else "utter_offer_handoff"
            say(dispatcher, tracker, key)
        elif off_topic and tracker.active_loop_name:
            # The form asks its question again right after.
            say(dispatcher, tracker, "utter_out_of_scope_in_form")
        elif off_topic:
            say(dispatcher, tracker, "utter_out_of_scope")
        else:
            say(dispatcher, tracker, "utter_not_understood")
        return []

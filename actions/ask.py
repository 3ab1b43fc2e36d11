"""Questions that need the conversation's data: summaries and known references."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, pending_answer, say
from bot.i18n.buttons import intent
from bot.i18n.catalog import get_catalog
from bot.tasks import documents, registration
from bot.tasks.fields import REGISTRATION_SLOTS
from bot.understanding.pending import PendingAnswer


class ActionAskRegistrationConfirmed(Action):
    def name(self) -> str:
        return "action_ask_registration_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        variables = registration.summary_variables(
            tracker.slots, language_of(tracker), get_catalog()
        )
        say(dispatcher, tracker, "utter_registration_summary", **variables)
        return []


class ActionAskDocumentConfirmed(Action):
    def name(self) -> str:
        return "action_ask_document_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        variables = documents.summary_variables(tracker.slots, language_of(tracker), get_catalog())
        say(dispatcher, tracker, "utter_document_summary", **variables)
        return []


class ActionAskField(Action):
    """Which answer to change: one button per answer of the current form."""

    def name(self) -> str:
        return "action_ask_field"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        key = (
            "utter_ask_document_field"
            if tracker.active_loop_name == "document_form"
            else "utter_ask_field"
        )
        say(dispatcher, tracker, key)
        return []


class ActionAskReference(Action):
    """Ask for the reference, offering the ones this citizen already received."""

    def name(self) -> str:
        return "action_ask_reference"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        known = [r for r in (tracker.get_slot("known_references") or []) if isinstance(r, str)]
        buttons = [{"title": r, "payload": intent("inform", reference=r)} for r in known[-3:]]
        say(dispatcher, tracker, "utter_ask_reference", buttons=buttons)
        return []


class ActionAskStopConfirmed(Action):
    def name(self) -> str:
        return "action_ask_stop_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, tracker, "utter_ask_stop_confirmation")
        return []


class AskQuestion:
    """Asks the question for one slot (`utter_ask_<slot>` in the locale files).

    A mixin, not an Action itself: rasa-sdk registers every Action subclass.
    """

    slot: str = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        pending = pending_answer(tracker, raised_now=True)
        if pending and pending.slot == self.slot:
            ask_about_pending_answer(dispatcher, tracker, pending)
        else:
            say(dispatcher, tracker, f"utter_ask_{self.slot}")
        return []


def ask_about_pending_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, pending: PendingAnswer
) -> None:
    """ "Is your first name Stop?" [Yes, that is my name] [No, I want to stop]."""
    command = pending.command
    language = language_of(tracker)
    catalog = get_catalog()
    code = command.entities.get("language", "")
    language_name = catalog.text(f"language_name_{code}", language) if code else ""
    buttons = [
        {
            "title": catalog.text(f"button_clarify_yes_{pending.slot}", language),
            "payload": intent("affirm"),
        },
        {
            "title": catalog.text(
                f"button_clarify_no_{command.intent}", language, language_name=language_name
            ),
            "payload": intent(command.intent, **({"language": code} if code else {})),
        },
    ]
    say(dispatcher, tracker, f"utter_clarify_{pending.slot}", buttons=buttons, value=pending.value)


QUESTION_SLOTS = (*REGISTRATION_SLOTS, "document_type", "delivery")
# One action class per question: rasa-sdk registers every Action subclass by name.
QUESTION_ACTIONS = {
    slot: type(f"ActionAsk_{slot}", (AskQuestion, Action), {"slot": slot})
    for slot in QUESTION_SLOTS
}


def _ask_actions() -> dict[str, type[Action]]:
    special = (
        ActionAskRegistrationConfirmed,
        ActionAskDocumentConfirmed,
        ActionAskField,
        ActionAskReference,
        ActionAskStopConfirmed,
    )
    table: dict[str, type[Action]] = {cls().name(): cls for cls in special}
    table.update({f"action_ask_{slot}": cls for slot, cls in QUESTION_ACTIONS.items()})
    return table


async def ask_current_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> bool:
    """Ask the active form's current question again (after a pause); False if there is none."""
    slot = tracker.get_slot("requested_slot")
    action = _ask_actions().get(f"action_ask_{slot}") if slot else None
    if action is None:
        return False
    await action().run(dispatcher, tracker, domain)
    return True

"""Language: detection on every message, switching, and offering to switch."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import first_entity, latest_text, say, text_of
from bot.i18n.buttons import LANGUAGES, intent
from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES
from bot.understanding import keywords
from bot.understanding.language import detect_language


class ActionValidateSlotMappings(Action):
    """Runs on every user message (Rasa's global slot validation hook).

    Records the language the message is clearly written in (`detected_language`);
    the LanguageSwitchPolicy offers a switch when it differs from the chosen one.
    A first clear message, or a channel's language hint, sets the language.
    """

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        detected = detect_language(latest_text(tracker))
        events: list[EventType] = []
        if detected != tracker.get_slot("detected_language"):
            events.append(SlotSet("detected_language", detected))
        if tracker.get_slot("language") is None:
            hint = (tracker.latest_message.get("metadata") or {}).get("language")
            chosen = detected or (hint if hint in SUPPORTED_LANGUAGES else None)
            if chosen:
                events.append(SlotSet("language", chosen))
        return events


def requested_language(tracker: Tracker) -> str | None:
    value = first_entity(tracker, "language")
    if value in SUPPORTED_LANGUAGES:
        return value
    return keywords.match("language", value or latest_text(tracker))


class ActionSwitchLanguage(Action):
    def name(self) -> str:
        return "action_switch_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = requested_language(tracker)
        if language not in SUPPORTED_LANGUAGES:
            buttons = [
                {"title": get_catalog().label(key, "nl"), "payload": payload}
                for payload, key in LANGUAGES
            ]
            say(dispatcher, tracker, "utter_language_not_supported", buttons=buttons)
            return []
        say(dispatcher, tracker, "utter_language_switched", language=language)
        if tracker.active_loop_name is None and tracker.get_slot("language") is None:
            say(dispatcher, tracker, "utter_greet", language=language)
        elif tracker.active_loop_name is None:
            say(dispatcher, tracker, "utter_anything_else", language=language)
        return [
            SlotSet("language", language),
            SlotSet("detected_language", None),
            SlotSet("declined_languages", []),
        ]


class ActionOfferLanguageSwitch(Action):
    """The citizen writes in another language than the chosen one: offer to switch."""

    def name(self) -> str:
        return "action_offer_language_switch"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        detected = tracker.get_slot("detected_language")
        current = tracker.get_slot("language")
        if detected not in SUPPORTED_LANGUAGES or current not in SUPPORTED_LANGUAGES:
            return []
        current_name = text_of(f"language_name_{current}", tracker)
        catalog = get_catalog()
        buttons = [
            {
                "title": catalog.text("button_switch_yes", detected),
                "payload": intent("switch_language", language=detected),
            },
            {
                "title": catalog.text("button_switch_keep", detected, current=current_name),
                "payload": intent("switch_language", language=current),
            },
        ]
        say(dispatcher, tracker, "utter_offer_language_switch", language=detected, buttons=buttons)
        declined = list(tracker.get_slot("declined_languages") or [])
        return [SlotSet("declined_languages", [*declined, detected])]

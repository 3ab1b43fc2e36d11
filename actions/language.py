"""Language: detection on every message, switching, and offering to switch."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import latest_text, say, text_of
from bot.i18n.buttons import intent
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


# A language named right after one of these is the one the citizen does not want:
# "je comprends pas le néerlandais, en français svp", "i dont speak dutch, english pls".
REFUSING_WORDS = frozenset(
    [
        "not",
        "dont",
        "don",
        "doesnt",
        "cant",
        "never",
        "niet",
        "nie",
        "geen",
        "nooit",
        "ni",
        "pas",
        "jamais",
    ]
)


def _refused(text_before: str) -> bool:
    return any(word in REFUSING_WORDS for word in keywords.normalise(text_before).split()[-3:])


def requested_language(tracker: Tracker) -> str | None:
    """The language the citizen asks for: the last one named that is not refused.

    A language is refused when a refusing word stands just before its name, after the
    previous language named. None when every language named is refused ("ik spreek geen
    nederlands"): the citizen then chooses from the buttons.
    """
    text = latest_text(tracker)
    named = [
        found
        for found in tracker.latest_message.get("entities") or []
        if found.get("entity") == "language"
    ]
    if not named:
        return keywords.match("language", text)
    wanted, previous_end = [], 0
    for found in sorted(named, key=lambda item: item.get("start") or 0):
        value, start = found.get("value"), found.get("start")
        code = value if value in SUPPORTED_LANGUAGES else keywords.match("language", str(value))
        refused = isinstance(start, int) and _refused(text[previous_end:start])
        if code and not refused:
            wanted.append(code)
        previous_end = found.get("end") or previous_end
    return wanted[-1] if wanted else None


class ActionSwitchLanguage(Action):
    def name(self) -> str:
        return "action_switch_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = requested_language(tracker)
        if language not in SUPPORTED_LANGUAGES:
            buttons = get_catalog().language_buttons()
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

"""Helpers shared by the actions: language, speaking, reading the latest turn."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.i18n.catalog import get_catalog
from bot.i18n.nlg import conversation_language
from bot.settings import DEFAULT_LANGUAGE
from bot.understanding.decision import Decision, Message, decide
from bot.understanding.pending import PENDING_ANSWER, PendingAnswer

MAX_ANSWER_CHARS = 500


def language_of(tracker: Tracker) -> str:
    """The conversation's language (chosen, else detected, else the default)."""
    return conversation_language(tracker.slots) or DEFAULT_LANGUAGE


def language_is_known(tracker: Tracker) -> bool:
    return conversation_language(tracker.slots) is not None


def say(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    key: str,
    *,
    language: str | None = None,
    buttons: list[dict[str, str]] | None = None,
    **variables: Any,
) -> None:
    """Send the text of `key` in the conversation's language, with its buttons.

    Before any language is known, the catalog answers in the default language and adds
    the language buttons, so that a citizen who does not read it can choose at once.
    """
    if language is None and language_is_known(tracker):
        language = language_of(tracker)
    message = get_catalog().render(key, language, **variables)
    all_buttons = [*(buttons or []), *message["buttons"]]
    dispatcher.utter_message(text=message["text"], buttons=all_buttons or None)


def text_of(key: str, tracker: Tracker, **variables: Any) -> str:
    return get_catalog().text(key, language_of(tracker), **variables)


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def latest_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def user_texts(tracker: Tracker) -> list[str]:
    """The texts of the citizen's messages, oldest first."""
    return [str(e.get("text") or "") for e in tracker.events if e.get("event") == "user"]


def pending_answer(tracker: Tracker, *, raised_now: bool) -> PendingAnswer | None:
    """The "is your first name Stop?" question about the current question, if it stands.

    raised_now: the latest message raised it (asking it); else the message before the
    latest one did (the latest message answers it).
    """
    pending = PendingAnswer.from_slot(
        tracker.get_slot(PENDING_ANSWER), tracker.get_slot("requested_slot")
    )
    if pending is None:
        return None
    texts = user_texts(tracker)
    wanted = texts[-1:] if raised_now else texts[-2:-1]
    return pending if wanted == [pending.source] else None


def is_button_payload(tracker: Tracker) -> bool:
    return latest_text(tracker).lstrip().startswith("/")


def decision_for(tracker: Tracker) -> Decision:
    """Is the latest message the answer to the form's question, or something else?"""
    return decide(
        tracker.get_slot("requested_slot"),
        Message.from_parse_data(tracker.latest_message),
        language_of(tracker),
    )


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [
        str(e.get("value"))
        for e in tracker.latest_message.get("entities") or []
        if e.get("entity") == entity and e.get("value") is not None
    ]


def first_entity(tracker: Tracker, entity: str) -> str | None:
    values = entity_values(tracker, entity)
    return values[0] if values else None


def channel_of(tracker: Tracker) -> str:
    channel = (
        tracker.get_latest_input_channel() if hasattr(tracker, "get_latest_input_channel") else None
    )
    return channel or "unknown"

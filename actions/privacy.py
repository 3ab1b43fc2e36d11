"""Privacy: the notice at the start of every session, and "delete my data".

- `action_session_start`: Rasa's own session start, plus the privacy notice.
- `action_forget_me`: forgets the conversation (after the citizen tapped the button of
  `utter_confirm_forget`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import channel_of, language_of, say
from bot import runtime
from bot.i18n.catalog import get_catalog
from bot.i18n.nlg import conversation_language
from bot.privacy.forget import channel_kind, forget_conversation, hash_key
from bot.settings import SUPPORTED_LANGUAGES

METADATA_SLOT = "session_started_metadata"
# Tells the web widget to clear what it keeps of the conversation in the browser.
CLEAR_CONVERSATION = {"clear_conversation": True}


def notice_language(slots: dict[str, Any]) -> str | None:
    """The language of the notice: the conversation's (carried over from the previous
    session), else the hint a channel sends with the message (Telegram: the app's
    language), else none."""
    language = conversation_language(slots)
    if language is not None:
        return language
    hint = (slots.get(METADATA_SLOT) or {}).get("language")
    return hint if hint in SUPPORTED_LANGUAGES else None


def privacy_notice(language: str | None) -> str:
    """The notice in `language`; without one, a line in every language (one message, no
    buttons: the greeting that follows offers the choice of language)."""
    settings = runtime.settings()
    catalog = get_catalog()
    languages = [language] if language in SUPPORTED_LANGUAGES else list(SUPPORTED_LANGUAGES)
    return "\n".join(
        catalog.text(
            "utter_privacy_notice",
            code,
            retention_days=settings.retention_days,
            privacy_url=settings.privacy_policy_url,
        )
        for code in languages
    )


def carried_over_slots(tracker: Tracker, domain: DomainDict) -> list[EventType]:
    """The slots the new session starts with, as domain.yml's session_config says.

    Rasa's default replays every `slot` event of the ending session; setting each slot
    that differs from its initial value to its current value gives the same slots. The
    session's metadata (the message's, set by Rasa just before this action) is always
    kept, as Rasa advises for a custom session start.
    """
    session_config = domain.get("session_config") or {}
    carry_over = session_config.get("carry_over_slots_to_new_session", True)
    definitions = domain.get("slots") or {}
    events: list[EventType] = []
    for name, value in tracker.slots.items():
        initial = (definitions.get(name) or {}).get("initial_value")
        if value != initial and (carry_over or name == METADATA_SLOT):
            events.append(SlotSet(name, value))
    return events


class ActionSessionStart(Action):
    """Rasa's session start, with the privacy notice.

    Rasa logs what a remote action returns in this order: the messages first (as `bot`
    events), then the events. So the notice is stored just before `session_started`, is
    sent to the channel before the answer to the citizen's message (the greeting), and
    takes no part in the new session's dialogue state. The events end with
    `action_listen`, as Rasa's own session start does, so the citizen's message is
    handled as the first one of the session.
    """

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=privacy_notice(notice_language(tracker.slots)))
        return [
            SessionStarted(),
            *carried_over_slots(tracker, domain),
            ActionExecuted("action_listen"),
        ]


class ActionForgetMe(Action):
    """Forget the conversation: the citizen tapped "yes, delete everything".

    Deletes the conversation's handoff requests and messages and its delivered outbox
    records (delivered, or refused for good by the agency). An outbox record that is not
    delivered yet is kept: deleting it would lose the citizen's submission; it is sent as
    usual, and retention deletes it once it is delivered. The audit trail gets one row
    without personal data (the channel, counts, the conversation named only by a keyed
    hash). Then the citizen is told, the web widget is asked to clear its copy, and the
    conversation is reset; Rasa's tracker store deletes the conversation's events when it
    saves this turn
    (bot/privacy/tracker_store.py), so the next message starts a new conversation.
    """

    def name(self) -> str:
        return "action_forget_me"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        conversation_id = tracker.sender_id
        await asyncio.to_thread(
            forget_conversation,
            runtime.session_factory(),
            conversation_id,
            channel=channel_kind(conversation_id, channel_of(tracker)),
            key=hash_key(runtime.settings()),
        )
        say(dispatcher, tracker, "utter_forgotten", language=language_of(tracker))
        dispatcher.utter_message(json_message=dict(CLEAR_CONVERSATION))
        return [AllSlotsReset(), ActiveLoop(None)]

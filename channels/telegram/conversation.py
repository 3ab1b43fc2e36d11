"""The little the channel needs to know about a conversation, read from Rasa's tracker store."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import User

from bot.settings import SUPPORTED_LANGUAGES

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConversationState:
    """Language and current question of one conversation; empty when unknown."""

    language: str | None = None
    detected_language: str | None = None
    active_loop: str | None = None
    requested_slot: str | None = None

    @property
    def reply_language(self) -> str | None:
        for value in (self.language, self.detected_language):
            if value in SUPPORTED_LANGUAGES:
                return value
        return None

    @property
    def asks_postcode(self) -> bool:
        return self.active_loop is not None and self.requested_slot == "postcode"


StateLookup = Callable[[str], Awaitable[ConversationState]]
# A Telegram chat's conversation is `tg:<chat id>`: a chat id is public (a private chat's
# id is the user's numeric id), so no other channel may reach the conversation by it.
PREFIX = "tg:"


def conversation_id(chat_id: int | str) -> str:
    return f"{PREFIX}{chat_id}"


def chat_id_of(recipient_id: int | str) -> int | str:
    """The chat id inside a conversation id (`tg:123` -> 123); other ids as they are."""
    text = str(recipient_id)
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    try:
        return int(text)
    except ValueError:
        return text


def language_hint(user: User | None) -> str | None:
    """The language of the citizen's Telegram app, when the assistant speaks it."""
    code = (user.language_code or "")[:2].lower() if user else ""
    return code if code in SUPPORTED_LANGUAGES else None


async def read_conversation_state(tracker_store: Any, sender_id: str) -> ConversationState:
    """The state of `sender_id` in Rasa's tracker store; empty when it cannot be read."""
    if tracker_store is None:
        return ConversationState()
    try:
        tracker = await tracker_store.retrieve(sender_id)
    except Exception as error:
        logger.warning("Telegram channel: tracker not read (%s)", type(error).__name__)
        return ConversationState()
    if tracker is None:
        return ConversationState()
    return ConversationState(
        language=tracker.get_slot("language"),
        detected_language=tracker.get_slot("detected_language"),
        active_loop=tracker.active_loop_name,
        requested_slot=tracker.get_slot("requested_slot"),
    )

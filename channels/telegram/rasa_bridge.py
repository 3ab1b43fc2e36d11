"""What the update handlers use outside Telegram: Rasa, the conversation's state, the output.

Nothing here logs what a citizen wrote or who they are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from telegram import User

from channels.message_text import clean_message_text
from channels.rate_limit import ConversationRateLimiter, shared_limiter, slow_down_text
from channels.telegram.callback_payloads import CallbackPayloads
from channels.telegram.conversation import (
    ConversationState,
    StateLookup,
    conversation_id,
    language_hint,
)
from channels.telegram.output import TelegramOutput
from channels.telegram.texts import channel_text

CHANNEL_NAME = "telegram"
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class RasaBridge:
    """Hands a citizen's message to Rasa, or answers with one of the channel's own texts."""

    def __init__(
        self,
        output: TelegramOutput,
        on_new_message: OnNewMessage,
        state_lookup: StateLookup,
        limiter: ConversationRateLimiter | None = None,
    ) -> None:
        self.output = output
        self.on_new_message = on_new_message
        self.state_lookup = state_lookup
        self.limiter = limiter

    @property
    def payloads(self) -> CallbackPayloads:
        return self.output.payloads

    async def state(self, chat_id: int) -> ConversationState:
        return await self.state_lookup(conversation_id(chat_id))

    async def forward(
        self, chat_id: int, text: str, user: User | None, with_hint: bool = True
    ) -> None:
        """One user message for Rasa, in the conversation `tg:<chat id>`.

        `with_hint` adds the language of the citizen's Telegram app to the metadata. A
        chat over the rate limit is asked to wait, and its message is not processed.
        """
        if not (self.limiter or shared_limiter()).allow(conversation_id(chat_id)):
            state = await self.state(chat_id)
            language = state.reply_language or language_hint(user)
            await self.output.send(chat_id, slow_down_text(language))
            return
        await self.output.typing(chat_id)
        metadata: dict[str, Any] = {"channel": CHANNEL_NAME}
        hint = language_hint(user) if with_hint else None
        if hint:
            metadata["language"] = hint
        await self.on_new_message(
            UserMessage(
                clean_message_text(text),
                self.output,
                conversation_id(chat_id),
                input_channel=CHANNEL_NAME,
                metadata=metadata,
            )
        )

    async def say(
        self, chat_id: int, key: str, user: User | None, state: ConversationState | None = None
    ) -> None:
        """The channel's text `key`, in the conversation's language, else the app's language,
        else every language."""
        state = state or await self.state(chat_id)
        language = state.reply_language or language_hint(user)
        await self.output.send(chat_id, channel_text(key, language))

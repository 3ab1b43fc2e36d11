"""The callback context of the channel's handlers, and what they share."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, filters

from channels.telegram.duplicates import RecentlySeen
from channels.telegram.rasa_bridge import RasaBridge

_RASA = "rasa"
_ANSWERED_KEYBOARDS = "answered_keyboards"
# New messages in a private chat: the assistant ignores groups and channels.
PRIVATE_MESSAGES = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE


class ChannelContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """python-telegram-bot's context, with the channel's own pieces as typed attributes."""

    @property
    def rasa(self) -> RasaBridge:
        return self.bot_data[_RASA]

    @property
    def answered_keyboards(self) -> RecentlySeen:
        """(chat id, message id) of keyboards already tapped: a double tap counts once."""
        keyboards = self.bot_data.get(_ANSWERED_KEYBOARDS)
        if keyboards is None:
            keyboards = self.bot_data[_ANSWERED_KEYBOARDS] = RecentlySeen(capacity=2048)
        return keyboards


CONTEXT_TYPES = ContextTypes(context=ChannelContext)


def attach_rasa(application: Application, bridge: RasaBridge) -> None:
    """Connect the handlers to Rasa; Rasa gives its callback only once the server is built."""
    application.bot_data[_RASA] = bridge


def message_of(update: Update) -> Message:
    """The message a message or command handler was called for (never None there)."""
    message = update.effective_message
    # bandit B101: Invariant for the type checker, not a check of input.
    assert message is not None, "a message handler got an update without a message"  # nosec B101
    return message

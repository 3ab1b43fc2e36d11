"""Messages a citizen sends: text goes to Rasa; what the assistant cannot read gets a short
answer in the citizen's language, and Rasa never sees it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from channels.telegram.context import PRIVATE_MESSAGES, ChannelContext, message_of

SPOKEN = filters.VOICE | filters.VIDEO_NOTE
PLACE = filters.LOCATION | filters.VENUE
# Anything else a citizen can send: photo, sticker, document, contact, poll, dice...
NOT_TEXT = filters.ATTACHMENT | filters.CAPTION
PRIVATE_EDITS = filters.UpdateType.EDITED_MESSAGE & filters.ChatType.PRIVATE


async def forward_text(update: Update, context: ChannelContext) -> None:
    message = message_of(update)
    await context.rasa.forward(message.chat_id, message.text or "", message.from_user)


async def voice_not_supported(update: Update, context: ChannelContext) -> None:
    message = message_of(update)
    await context.rasa.say(message.chat_id, "telegram_voice_not_supported", message.from_user)


async def location_not_read(update: Update, context: ChannelContext) -> None:
    """At the postcode question, ask to type it: only postcode data ships with the project,
    so coordinates cannot be turned into a postcode."""
    message = message_of(update)
    state = await context.rasa.state(message.chat_id)
    key = "telegram_location_type_postcode" if state.asks_postcode else "telegram_only_text"
    await context.rasa.say(message.chat_id, key, message.from_user, state)


async def only_text(update: Update, context: ChannelContext) -> None:
    message = message_of(update)
    await context.rasa.say(message.chat_id, "telegram_only_text", message.from_user)


async def edit_not_read(update: Update, context: ChannelContext) -> None:
    message = message_of(update)
    await context.rasa.say(message.chat_id, "telegram_edit_not_read", message.from_user)


def message_handlers() -> list[MessageHandler]:
    """In this order: the first that matches handles the message; service messages
    (someone joined, a pinned message...) match none and are ignored."""
    return [
        MessageHandler(PRIVATE_MESSAGES & filters.TEXT, forward_text),
        MessageHandler(PRIVATE_MESSAGES & SPOKEN, voice_not_supported),
        MessageHandler(PRIVATE_MESSAGES & PLACE, location_not_read),
        MessageHandler(PRIVATE_MESSAGES & NOT_TEXT, only_text),
        MessageHandler(PRIVATE_EDITS, edit_not_read),
    ]

"""When a handler fails: log the kind of update (never its content) and apologise."""

from __future__ import annotations

import logging

from telegram import MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from channels.telegram.context import ChannelContext
from channels.telegram.conversation import language_hint
from channels.telegram.texts import channel_text

logger = logging.getLogger(__name__)


def update_kind(update: Update) -> str:
    """A content-free description of an update, for logs."""
    if update.callback_query:
        return "callback_query"
    if update.edited_message:
        return "edited_message"
    message = update.message
    if message is None:
        return "other"
    if message.text:
        first = message.entities[0] if message.entities else None
        is_command = first is not None and first.type == MessageEntity.BOT_COMMAND
        return "command" if is_command and first.offset == 0 else "text"
    attachment = message.effective_attachment
    if attachment is None:
        return "service_message"
    return "photo" if isinstance(attachment, tuple) else type(attachment).__name__.lower()


async def apologise(update: object, context: ChannelContext) -> None:
    """python-telegram-bot's error handler: the citizen hears something went wrong instead
    of silence."""
    error_name = type(context.error).__name__
    if not isinstance(update, Update):
        logger.error("Telegram channel: a task failed (%s)", error_name)
        return
    kind = update_kind(update)
    logger.error("Telegram update %s (%s) failed: %s", update.update_id, kind, error_name)
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    apology = channel_text("telegram_something_went_wrong", language_hint(update.effective_user))
    try:
        await context.rasa.output.send(chat.id, apology)
    except TelegramError as failure:
        logger.info("Telegram: apology not sent (%s)", type(failure).__name__)

"""A tap on a button under one of the assistant's messages."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler

from bot.i18n.buttons import intent
from channels.telegram.context import ChannelContext
from channels.telegram.output import CHECK_MARK

logger = logging.getLogger(__name__)


async def on_button_tap(update: Update, context: ChannelContext) -> None:
    """Stop the spinner, remove the keyboard, echo the choice, and pass its payload to Rasa.

    A second tap on the same keyboard only stops the spinner; a payload the channel no
    longer knows (after a restart) gets a kind word and the question again.
    """
    query = update.callback_query
    # bandit B101: Invariant for the type checker, not a check of input.
    assert query is not None  # nosec B101
    message = _accessible(query.message)
    chat_id = message.chat_id if message else query.from_user.id
    if message and message.chat.type != ChatType.PRIVATE:
        await _answer(query)
        return
    if message and not context.answered_keyboards.add((chat_id, message.message_id)):
        await _answer(query)  # a double tap: the first one is being handled
        return
    data = query.data or ""
    payload = context.rasa.payloads.decode(data)
    await _answer(query)
    await _remove_keyboard(message)
    if payload is None:
        await context.rasa.say(chat_id, "telegram_button_expired", query.from_user)
        await context.rasa.forward(chat_id, intent("repeat"), query.from_user)
        return
    title = _button_title(message, data)
    if title:
        await context.rasa.output.send(chat_id, f"{CHECK_MARK} {title}")
    await context.rasa.forward(chat_id, payload, query.from_user)


def button_handlers() -> list[CallbackQueryHandler]:
    return [CallbackQueryHandler(on_button_tap)]


def _accessible(message: object) -> Message | None:
    """The message under which the button was; None when Telegram no longer shows it."""
    return message if isinstance(message, Message) and message.is_accessible else None


def _button_title(message: Message | None, data: str) -> str | None:
    if message is None or message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


async def _answer(query: CallbackQuery) -> None:
    """Stops the spinner on the button; Telegram shows it until this is called."""
    try:
        await query.answer()
    except TelegramError as error:
        logger.info("Telegram: callback not answered (%s)", type(error).__name__)


async def _remove_keyboard(message: Message | None) -> None:
    if message is None or message.reply_markup is None:
        return
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramError as error:
        logger.info("Telegram: keyboard not removed (%s)", type(error).__name__)

"""Rasa's answers to a Telegram chat: escaped HTML, split at the size limit, one button a row."""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from channels.telegram.callback_payloads import CallbackPayloads
from channels.telegram.conversation import chat_id_of
from channels.telegram.message_split import escape, split_text

logger = logging.getLogger(__name__)

CHECK_MARK = "✔"


def keyboard(buttons: list[dict[str, Any]], payloads: CallbackPayloads) -> InlineKeyboardMarkup:
    """One button per row: big tap targets for people who find small ones hard."""
    rows = []
    for button in buttons:
        title = str(button.get("title") or button.get("payload") or "")
        if button.get("url") and not button.get("payload"):
            rows.append([InlineKeyboardButton(title, url=str(button["url"]))])
            continue
        payload = str(button.get("payload") or title)
        rows.append([InlineKeyboardButton(title, callback_data=payloads.encode(payload))])
    return InlineKeyboardMarkup(rows)


class TelegramOutput(OutputChannel):
    """Rasa's answers to Telegram chats (recipient id `tg:<chat id>`, or a bare chat id)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, bot: Bot, payloads: CallbackPayloads) -> None:
        self.bot = bot
        self.payloads = payloads

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send(recipient_id, text, buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send(recipient_id, text, quick_replies)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        # A raw JSON dump would only confuse a citizen; no response of the assistant uses it.
        logger.debug("Telegram: a custom payload was not sent")

    async def send(
        self, recipient_id: str | int, text: str, buttons: list[dict[str, Any]] | None = None
    ) -> None:
        """Send `text` (split when too long); the keyboard goes with the last part."""
        parts = split_text(text or "") or ([CHECK_MARK] if buttons else [])
        markup = keyboard(buttons, self.payloads) if buttons else None
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self.bot.send_message(
                chat_id=chat_id_of(recipient_id),
                text=escape(part),
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
            )

    async def typing(self, chat_id: str | int) -> None:
        """The typing indicator; it is only a courtesy, so a failure is not an error."""
        try:
            await self.bot.send_chat_action(chat_id=chat_id_of(chat_id), action=ChatAction.TYPING)
        except TelegramError as error:
            logger.info("Telegram: typing indicator not sent (%s)", type(error).__name__)

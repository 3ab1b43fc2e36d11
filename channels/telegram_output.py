"""Sending to Telegram: escaped HTML, messages split at the size limit, one button per row."""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import re
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from rasa.core.channels.channel import OutputChannel
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from bot.i18n.buttons import LANGUAGES, RESPONSE_BUTTONS

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 4096  # Telegram's limit for one message, after entities are parsed
MAX_CALLBACK_DATA_BYTES = 64  # Telegram's limit for a button's callback_data
CHECK_MARK = "✔"
# Where a text may be cut, best first: paragraphs, lines, sentences, words.
_BOUNDARIES = (
    re.compile(r"(?<=\n\n)"),
    re.compile(r"(?<=\n)"),
    re.compile(r"(?<=[.!?…:;])\s+"),
    re.compile(r"(?<=\s)"),
)


def escape(text: str) -> str:
    """Text made safe for parse_mode HTML: citizen-provided text can never become markup."""
    return html.escape(text, quote=False)


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), so emoji count double."""
    return len(text.encode("utf-16-le")) // 2


def _fits(text: str, limit: int) -> bool:
    return telegram_length(escape(text)) <= limit


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Cut `text` into parts whose escaped form fits in one message.

    Cuts at a paragraph if it can, else at a line, a sentence, a word, and only as a last
    resort inside a word. Measured after escaping, since `&` becomes `&amp;`.
    """
    text = text.strip()
    if not text:
        return []
    return [part for part in (p.strip() for p in _split(text, limit, 0)) if part]


def _split(text: str, limit: int, level: int) -> list[str]:
    if _fits(text, limit):
        return [text]
    if level >= len(_BOUNDARIES):
        return _hard_cut(text, limit)
    pieces = [p for p in _BOUNDARIES[level].split(text) if p]
    if len(pieces) == 1:
        return _split(text, limit, level + 1)
    joiner = " " if level == 2 else ""  # the sentence boundary swallowed the space
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{joiner}{piece}" if current else piece
        if _fits(candidate.strip(), limit):
            current = candidate
            continue
        if current:
            parts.append(current)
        if _fits(piece.strip(), limit):
            current = piece
        else:
            parts.extend(_split(piece, limit, level + 1))
            current = ""
    if current:
        parts.append(current)
    return parts


def _hard_cut(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for char in text:
        cost = telegram_length(escape(char))
        if current and used + cost > limit:
            parts.append("".join(current))
            current, used = [], 0
        current.append(char)
        used += cost
    if current:
        parts.append("".join(current))
    return parts


class CallbackPayloads:
    """Button payloads as callback_data, which Telegram limits to 64 bytes.

    A short payload is sent as it is. A longer one is sent as a short id (a hash of the
    payload, so the same payload always gets the same id) kept in a small LRU. The
    payloads of the assistant's own buttons are pinned, so they survive a restart.
    An id that is not known any more decodes to None: the caller answers kindly.
    """

    PREFIX = "#"

    def __init__(self, capacity: int = 4096, pinned: Iterable[str] = ()) -> None:
        self._capacity = capacity
        self._recent: OrderedDict[str, str] = OrderedDict()
        self._pinned: dict[str, str] = {}
        for payload in pinned:
            if self.needs_id(payload):
                self._pinned[self.short_id(payload)] = payload

    @classmethod
    def needs_id(cls, payload: str) -> bool:
        too_long = len(payload.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES
        return too_long or payload.startswith(cls.PREFIX)

    @classmethod
    def short_id(cls, payload: str) -> str:
        digest = hashlib.sha256(payload.encode("utf-8")).digest()
        return cls.PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")[:22]

    def encode(self, payload: str) -> str:
        if not self.needs_id(payload):
            return payload
        key = self.short_id(payload)
        if key not in self._pinned:
            self._recent[key] = payload
            self._recent.move_to_end(key)
            while len(self._recent) > self._capacity:
                self._recent.popitem(last=False)
        return key

    def decode(self, data: str) -> str | None:
        if not data.startswith(self.PREFIX):
            return data
        if data in self._pinned:
            return self._pinned[data]
        payload = self._recent.get(data)
        if payload is not None:
            self._recent.move_to_end(data)
        return payload


def assistant_payloads() -> list[str]:
    """Every payload the assistant's own buttons can carry (bot/i18n/buttons.py)."""
    payloads = {payload for buttons in RESPONSE_BUTTONS.values() for payload, _ in buttons}
    payloads.update(payload for payload, _ in LANGUAGES)
    return sorted(payloads)


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
    """Rasa's answers to one Telegram chat (recipient id = chat id)."""

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
                chat_id=recipient_id,
                text=escape(part),
                parse_mode=ParseMode.HTML,
                reply_markup=markup if last else None,
            )

    async def typing(self, chat_id: str | int) -> None:
        """The typing indicator; it is only a courtesy, so a failure is not an error."""
        try:
            await self.bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
        except TelegramError as error:
            logger.info("Telegram: typing indicator not sent (%s)", type(error).__name__)

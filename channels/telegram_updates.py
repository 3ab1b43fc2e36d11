"""What to do with one Telegram update: commands, button taps, text for Rasa, everything else.

Nothing here logs what a citizen wrote or who they are: only the kind of update.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import UserMessage
from telegram import CallbackQuery, Message, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.i18n.buttons import LANGUAGES, intent
from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES
from channels.telegram_output import CHECK_MARK, CallbackPayloads, TelegramOutput
from channels.telegram_texts import COMMAND_KEYS, channel_text

logger = logging.getLogger(__name__)

CHANNEL_NAME = "telegram"
# Simple commands: Telegram command -> the message Rasa gets.
COMMAND_PAYLOADS = {
    "help": intent("help"),
    "stop": intent("stop"),
    "human": intent("human_handoff"),
}


@dataclass(frozen=True)
class ConversationState:
    """The little the channel needs to know about a conversation (from Rasa's tracker)."""

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
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class Command:
    name: str
    argument: str = ""


def parse_command(text: str) -> Command | None:
    """`/start fr` or `/start@SomeBot fr` -> Command("start", "fr"); other text -> None.

    Only the channel's own commands count: a typed Rasa payload such as `/affirm` goes to
    Rasa unchanged, exactly as over REST.
    """
    words = text[1:].split(maxsplit=1) if text.startswith("/") else []
    if not words:
        return None
    name = words[0].split("@", 1)[0].lower()
    if name not in COMMAND_KEYS:
        return None
    return Command(name, words[1].strip() if len(words) > 1 else "")


def language_hint(user: User | None) -> str | None:
    """The language of the citizen's Telegram app, when the assistant speaks it."""
    code = (user.language_code or "")[:2].lower() if user else ""
    return code if code in SUPPORTED_LANGUAGES else None


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
        command = parse_command(message.text)
        return f"command /{command.name}" if command else "text"
    attachment = message.effective_attachment
    if attachment is None:
        return "service_message"
    return "photo" if isinstance(attachment, tuple) else type(attachment).__name__.lower()


def _accessible(message: Any) -> Message | None:
    return message if isinstance(message, Message) and message.is_accessible else None


def _button_title(message: Message | None, data: str) -> str | None:
    if message is None or message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


class UpdateProcessor:
    """Turns updates into messages for Rasa, or answers them itself when Rasa cannot help."""

    def __init__(
        self,
        output: TelegramOutput,
        on_new_message: OnNewMessage,
        state_lookup: StateLookup,
        payloads: CallbackPayloads,
    ) -> None:
        self.output = output
        self.bot = output.bot
        self.on_new_message = on_new_message
        self.state_lookup = state_lookup
        self.payloads = payloads
        self._tapped: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def process(self, update: Update) -> None:
        """Handle one update; on an unexpected error, tell the citizen instead of going silent."""
        try:
            await self._dispatch(update)
        except Exception as error:
            logger.error(
                "Telegram update %s (%s) failed: %s",
                update.update_id,
                update_kind(update),
                type(error).__name__,
            )
            await self._apologise(update)

    async def _dispatch(self, update: Update) -> None:
        if update.callback_query:
            await self._callback(update.callback_query)
        elif update.edited_message:
            await self._edited(update.edited_message)
        elif update.message:
            await self._message(update.message)
        else:
            logger.debug("Telegram update %s ignored (%s)", update.update_id, update_kind(update))

    # --- messages ---

    async def _message(self, message: Message) -> None:
        if message.chat.type != ChatType.PRIVATE:
            logger.info("Telegram: a message from a group or channel was ignored")
            return
        if message.text:
            command = parse_command(message.text)
            if command:
                await self._command(message, command)
            else:
                await self.to_rasa(message.chat.id, message.text, message.from_user)
        elif message.voice or message.video_note:
            await self._say(message, "telegram_voice_not_supported")
        elif message.location or message.venue:
            await self._location(message)
        elif message.effective_attachment is not None or message.caption:
            await self._say(message, "telegram_only_text")
        else:
            logger.debug("Telegram: a service message was ignored")

    async def _command(self, message: Message, command: Command) -> None:
        chat_id, user = message.chat.id, message.from_user
        if command.name == "start":
            chosen = command.argument.lower()
            if chosen in SUPPORTED_LANGUAGES:
                # No hint: the deep link's language wins over the app's language.
                payload = intent("switch_language", language=chosen)
                await self.to_rasa(chat_id, payload, user, with_hint=False)
            else:
                await self.to_rasa(chat_id, intent("greet"), user)
        elif command.name == "language":
            await self._language_chooser(chat_id, user)
        else:
            await self.to_rasa(chat_id, COMMAND_PAYLOADS[command.name], user)

    async def _language_chooser(self, chat_id: int, user: User | None) -> None:
        """Before a language is chosen the greeting is the chooser; after, three buttons."""
        state = await self.state_lookup(str(chat_id))
        if state.language not in SUPPORTED_LANGUAGES:
            # Without the app's language as a hint, the greeting offers every language.
            await self.to_rasa(chat_id, intent("greet"), user, with_hint=False)
            return
        catalog = get_catalog()
        # Each language's name in that language: "Nederlands", "Français", "English".
        buttons = [
            {"title": catalog.label(key, code), "payload": payload}
            for (payload, key), code in zip(LANGUAGES, SUPPORTED_LANGUAGES, strict=True)
        ]
        text = catalog.text("utter_choose_language", state.language)
        await self.output.send(chat_id, text, buttons)

    async def _location(self, message: Message) -> None:
        # No coordinates -> postcode data ships with the project, so the citizen types it.
        state = await self.state_lookup(str(message.chat.id))
        key = "telegram_location_type_postcode" if state.asks_postcode else "telegram_only_text"
        await self._say(message, key, state)

    async def _edited(self, message: Message) -> None:
        if message.chat.type == ChatType.PRIVATE:
            await self._say(message, "telegram_edit_not_read")

    async def _say(
        self, message: Message, key: str, state: ConversationState | None = None
    ) -> None:
        state = state or await self.state_lookup(str(message.chat.id))
        language = state.reply_language or language_hint(message.from_user)
        await self.output.send(message.chat.id, channel_text(key, language))

    # --- button taps ---

    async def _callback(self, query: CallbackQuery) -> None:
        message = _accessible(query.message)
        chat_id = message.chat.id if message else query.from_user.id
        if message and message.chat.type != ChatType.PRIVATE:
            await self._answer(query)
            return
        if message and not self._first_tap(chat_id, message.message_id):
            await self._answer(query)  # a double tap: the first one is being handled
            return
        data = query.data or ""
        payload = self.payloads.decode(data)
        await self._answer(query)
        await self._remove_keyboard(chat_id, message)
        if payload is None:
            state = await self.state_lookup(str(chat_id))
            language = state.reply_language or language_hint(query.from_user)
            await self.output.send(chat_id, channel_text("telegram_button_expired", language))
            await self.to_rasa(chat_id, intent("repeat"), query.from_user)
            return
        title = _button_title(message, data)
        if title:
            await self.output.send(chat_id, f"{CHECK_MARK} {title}")
        await self.to_rasa(chat_id, payload, query.from_user)

    def _first_tap(self, chat_id: int, message_id: int) -> bool:
        key = (chat_id, message_id)
        if key in self._tapped:
            return False
        self._tapped[key] = None
        while len(self._tapped) > 2048:
            self._tapped.popitem(last=False)
        return True

    async def _answer(self, query: CallbackQuery) -> None:
        """Stops the spinner on the button; Telegram shows it until this is called."""
        try:
            await self.bot.answer_callback_query(callback_query_id=query.id)
        except TelegramError as error:
            logger.info("Telegram: callback not answered (%s)", type(error).__name__)

    async def _remove_keyboard(self, chat_id: int, message: Message | None) -> None:
        if message is None or message.reply_markup is None:
            return
        try:
            await self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message.message_id, reply_markup=None
            )
        except TelegramError as error:
            logger.info("Telegram: keyboard not removed (%s)", type(error).__name__)

    # --- to Rasa ---

    async def to_rasa(
        self, chat_id: int, text: str, user: User | None, with_hint: bool = True
    ) -> None:
        """One user message for Rasa; the conversation id is the chat id."""
        await self.output.typing(chat_id)
        metadata: dict[str, Any] = {"channel": CHANNEL_NAME}
        hint = language_hint(user) if with_hint else None
        if hint:
            metadata["language"] = hint
        await self.on_new_message(
            UserMessage(
                text,
                self.output,
                str(chat_id),
                input_channel=CHANNEL_NAME,
                metadata=metadata,
            )
        )

    async def _apologise(self, update: Update) -> None:
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        language = language_hint(update.effective_user)
        try:
            await self.output.send(chat.id, channel_text("telegram_something_went_wrong", language))
        except TelegramError as error:
            logger.info("Telegram: apology not sent (%s)", type(error).__name__)

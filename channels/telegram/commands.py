"""The commands of the menu: /start, /help, /language, /human, /stop.

Only these count as commands: any other `/text` (a typed Rasa payload such as `/affirm`)
goes to Rasa unchanged, exactly as over REST.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import CommandHandler

from bot.i18n.buttons import LANGUAGES, intent
from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES
from channels.telegram.context import PRIVATE_MESSAGES, ChannelContext, message_of

# Simple commands: Telegram command -> the message Rasa gets.
COMMAND_PAYLOADS = {
    "help": intent("help"),
    "stop": intent("stop"),
    "human": intent("human_handoff"),
}


async def start(update: Update, context: ChannelContext) -> None:
    """`/start` greets; `/start fr` (from a t.me/<bot>?start=fr link) switches language."""
    message = message_of(update)
    chosen = " ".join(context.args or ()).lower()
    if chosen in SUPPORTED_LANGUAGES:
        # No hint: the deep link's language wins over the app's language.
        payload = intent("switch_language", language=chosen)
        await context.rasa.forward(message.chat_id, payload, message.from_user, with_hint=False)
    else:
        await context.rasa.forward(message.chat_id, intent("greet"), message.from_user)


async def choose_language(update: Update, context: ChannelContext) -> None:
    """Before a language is chosen the greeting is the chooser; after, three buttons."""
    message = message_of(update)
    state = await context.rasa.state(message.chat_id)
    if state.language not in SUPPORTED_LANGUAGES:
        # Without the app's language as a hint, the greeting offers every language.
        greet = intent("greet")
        await context.rasa.forward(message.chat_id, greet, message.from_user, with_hint=False)
        return
    catalog = get_catalog()
    # Each language's name in that language: "Nederlands", "Français", "English".
    buttons = [
        {"title": catalog.label(key, code), "payload": payload}
        for (payload, key), code in zip(LANGUAGES, SUPPORTED_LANGUAGES, strict=True)
    ]
    text = catalog.text("utter_choose_language", state.language)
    await context.rasa.output.send(message.chat_id, text, buttons)


def forward_to_rasa_as(payload: str) -> Callable[[Update, ChannelContext], Awaitable[None]]:
    """A command callback that hands `payload` to Rasa."""

    async def forward(update: Update, context: ChannelContext) -> None:
        message = message_of(update)
        await context.rasa.forward(message.chat_id, payload, message.from_user)

    return forward


def command_handlers() -> list[CommandHandler]:
    return [
        CommandHandler("start", start, PRIVATE_MESSAGES),
        CommandHandler("language", choose_language, PRIVATE_MESSAGES),
        *(
            CommandHandler(name, forward_to_rasa_as(payload), PRIVATE_MESSAGES)
            for name, payload in COMMAND_PAYLOADS.items()
        ),
    ]

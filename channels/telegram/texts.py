"""Texts the Telegram channel says itself: answers to what it cannot read, command descriptions.

Every text lives in the locale files (bot/i18n/locales/<lang>.yml, the `telegram` block).
"""

from __future__ import annotations

from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES

# Telegram command -> the description's text key. The order is the order in the menu.
COMMAND_KEYS: dict[str, str] = {
    "start": "telegram_command_start",
    "help": "telegram_command_help",
    "language": "telegram_command_language",
    "human": "telegram_command_human",
    "stop": "telegram_command_stop",
}


def channel_text(key: str, language: str | None) -> str:
    """The text of `key` in `language`; without a language, every language, one per line."""
    if language not in SUPPORTED_LANGUAGES:
        return "\n".join(channel_text(key, code) for code in SUPPORTED_LANGUAGES)
    return get_catalog().text(key, language)


def command_descriptions(language: str | None) -> dict[str, str]:
    """Command -> description; without a language, the three languages side by side."""
    if language in SUPPORTED_LANGUAGES:
        return {command: channel_text(key, language) for command, key in COMMAND_KEYS.items()}
    return {
        command: " / ".join(channel_text(key, code) for code in SUPPORTED_LANGUAGES)
        for command, key in COMMAND_KEYS.items()
    }

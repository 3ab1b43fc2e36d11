"""The channel's texts come from the locale files, in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES
from channels.telegram import commands
from channels.telegram.texts import COMMAND_KEYS, channel_text, command_descriptions

PACKAGE = Path(commands.__file__).parent
TEXT_KEY = re.compile(r"\"(telegram_[a-z_]+)\"")
NOT_TEXT_KEYS = {"telegram_webhook"}  # the name of the Sanic blueprint


def keys_used_by_the_channel() -> set[str]:
    """Every quoted `telegram_...` name in the channel's code."""
    found = {key for path in PACKAGE.glob("*.py") for key in TEXT_KEY.findall(path.read_text())}
    return found - NOT_TEXT_KEYS


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_text_the_channel_says_is_in_the_locale_file(language):
    used = keys_used_by_the_channel()
    assert "telegram_voice_not_supported" in used and set(COMMAND_KEYS.values()) <= used
    catalog = get_catalog()
    missing = sorted(key for key in used if not catalog.texts[language].get(key))
    assert missing == []
    for key in used:
        assert channel_text(key, language) == catalog.text(key, language)


def test_without_a_language_every_language_is_given():
    lines = channel_text("telegram_only_text", None).splitlines()
    assert lines == [get_catalog().text("telegram_only_text", c) for c in SUPPORTED_LANGUAGES]
    described = command_descriptions("xx")
    assert list(described) == list(COMMAND_KEYS)
    assert described["human"].count(" / ") == len(SUPPORTED_LANGUAGES) - 1


def test_every_command_of_the_menu_has_a_handler():
    assert set(COMMAND_KEYS) == {"start", "language", *commands.COMMAND_PAYLOADS}
    handled = {name for handler in commands.command_handlers() for name in handler.commands}
    assert handled == set(COMMAND_KEYS)

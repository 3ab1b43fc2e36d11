"""python-telegram-bot's Application for the channel: the Bot client, handlers, ordering."""

from __future__ import annotations

from telegram.ext import Application

from bot.settings import load_settings
from channels.telegram.buttons import button_handlers
from channels.telegram.commands import command_handlers
from channels.telegram.config import TelegramConfig
from channels.telegram.context import CONTEXT_TYPES
from channels.telegram.duplicates import (
    DUPLICATES_GROUP,
    SeenUpdates,
    duplicate_filter,
    seen_updates_for,
)
from channels.telegram.errors import apologise
from channels.telegram.log_redaction import protect_logs
from channels.telegram.messages import message_handlers
from channels.telegram.ordering import ChatOrderedUpdateProcessor


def build_application(config: TelegramConfig, seen: SeenUpdates | None = None) -> Application:
    """The Application for `config`; nothing is sent until it is initialised.

    In webhook mode it has no Updater: Rasa's Sanic server receives the updates and puts
    them on `application.update_queue`. In polling mode its Updater fetches them.
    """
    # bandit B101: Invariant for the type checker, not a check of input.
    assert config.bot_token, "the channel is off without a token"  # nosec B101
    protect_logs(config.bot_token)
    builder = (
        Application.builder()
        .token(config.bot_token)
        .base_url(config.api_base_url)
        .base_file_url(config.api_file_url)
        .context_types(CONTEXT_TYPES)
        .concurrent_updates(ChatOrderedUpdateProcessor())
        .job_queue(None)  # nothing is scheduled; no scheduler thread
        .connection_pool_size(64)
        .connect_timeout(10)
        .read_timeout(15)
        .write_timeout(15)
        # get_updates adds its long-poll timeout to this read timeout itself.
        .get_updates_connection_pool_size(1)
        .get_updates_read_timeout(10)
    )
    if config.mode != "polling":
        builder = builder.updater(None)
    application = builder.build()
    # Shared in Redis when several Rasa servers take the bot's updates (production).
    seen = seen or seen_updates_for(load_settings(), config.bot_token.partition(":")[0])
    application.add_handler(duplicate_filter(seen), DUPLICATES_GROUP)
    application.add_handlers([*command_handlers(), *button_handlers(), *message_handlers()])
    application.add_error_handler(apologise)
    return application

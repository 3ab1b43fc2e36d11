"""Starting and stopping the channel with the Rasa server.

Start runs in the background so Telegram being slow or down never delays the server:
getMe (retried until Telegram answers), the command menu, then the Application and, by
mode, setWebhook or the Updater's long polling. The Updater retries failed getUpdates calls
itself, waiting longer after each failure (up to 30 s) and as long as Telegram asks on 429.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from telegram import BotCommand
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.settings import SUPPORTED_LANGUAGES
from channels.telegram.config import TelegramConfig
from channels.telegram.texts import command_descriptions

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
STOP_GRACE_SECONDS = 5.0
MAX_RETRY_SECONDS = 30.0


def _log_polling_error(error: TelegramError) -> None:
    """The Updater's error callback: only the kind of error (a message may hold the URL)."""
    logger.warning("Telegram channel: getUpdates failed (%s)", type(error).__name__)


class ChannelLifecycle:
    """Runs the Application while the Rasa server is up."""

    def __init__(self, application: Application, config: TelegramConfig) -> None:
        self.application = application
        self.config = config
        self._startup: asyncio.Task | None = None

    def start_in_background(self) -> None:
        self._startup = asyncio.get_running_loop().create_task(self.start())

    async def start(self) -> None:
        logger.info("Telegram channel: starting in %s mode", self.config.mode)
        try:
            if not await self._initialize():
                return
            await self.register_commands()
            await self.application.start()
            if self.config.mode == "webhook":
                await self.set_webhook()
            elif self.application.updater is not None:
                await self.application.updater.start_polling(
                    timeout=self.config.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                    bootstrap_retries=-1,  # deleteWebhook until Telegram answers
                    error_callback=_log_polling_error,
                )
        except InvalidToken:
            logger.error("Telegram channel: the bot token was rejected; the channel stops")
        except Exception as error:  # a background task: nobody else would see it
            logger.error("Telegram channel: start failed (%s)", type(error).__name__)

    async def stop(self) -> None:
        """Stop polling, let running updates finish briefly, close the HTTP client."""
        if self._startup and not self._startup.done():
            self._startup.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self._startup
        application = self.application
        if application.updater is not None and application.updater.running:
            with suppress(Exception):  # a rejected token ended polling already
                await application.updater.stop()
        if application.running:
            try:
                await asyncio.wait_for(application.stop(), STOP_GRACE_SECONDS)
            except asyncio.TimeoutError:
                logger.warning("Telegram channel: updates still running were dropped")
        with suppress(Exception):
            await application.shutdown()
        logger.info("Telegram channel: stopped")

    async def _initialize(self) -> bool:
        """getMe (it checks the token; command handlers need the bot's username)."""
        delay = 1.0
        while True:
            try:
                await self.application.initialize()
                return True
            except InvalidToken:
                logger.error("Telegram channel: the bot token was rejected")
                return False
            except TelegramError as error:
                logger.warning("Telegram channel: getMe failed (%s)", type(error).__name__)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)

    async def register_commands(self) -> None:
        """The command menu, in each language and a default for other app languages."""
        for language in (*SUPPORTED_LANGUAGES, None):
            commands = [
                BotCommand(name, description)
                for name, description in command_descriptions(language).items()
            ]
            try:
                await self.application.bot.set_my_commands(commands, language_code=language)
            except TelegramError as error:
                logger.warning("Telegram channel: setMyCommands failed (%s)", type(error).__name__)

    async def set_webhook(self) -> bool:
        if not self.config.secret_is_valid:
            logger.error(
                "Telegram channel: TELEGRAM_WEBHOOK_SECRET is missing or not valid "
                "(1-256 of A-Z a-z 0-9 _ -): the webhook was not set"
            )
            return False
        try:
            await self.application.bot.set_webhook(
                url=self.config.webhook_url,
                secret_token=self.config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        except TelegramError as error:
            logger.error("Telegram channel: setWebhook failed (%s)", type(error).__name__)
            return False
        logger.info("Telegram channel: webhook set to %s", self.config.webhook_url)
        return True

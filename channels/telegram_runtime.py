"""The running Telegram channel: the Bot client, start-up calls, polling, and update scheduling.

Updates are handled in background tasks so the webhook answers Telegram at once; a lock per
chat keeps one citizen's messages in the order they were sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from telegram import Bot, BotCommand, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.settings import SUPPORTED_LANGUAGES
from channels.telegram_config import TelegramConfig
from channels.telegram_output import CallbackPayloads, TelegramOutput, assistant_payloads
from channels.telegram_texts import command_descriptions
from channels.telegram_updates import (
    ConversationState,
    OnNewMessage,
    StateLookup,
    UpdateProcessor,
    update_kind,
)

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
MAX_BACKOFF_SECONDS = 30.0
STOP_GRACE_SECONDS = 5.0


async def _no_state(_sender_id: str) -> ConversationState:
    return ConversationState()


def secret_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; no configured secret means nothing matches."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def parse_update(body: bytes, bot: Bot | None) -> Update | None:
    """The update in a webhook body, or None when the body is not one (never raises)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # any shape python-telegram-bot cannot read is a bad request
        return None


class _RedactToken(logging.Filter):
    """The token is part of every Bot API URL; it must never reach a log file."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        if self.token in message:
            record.msg = message.replace(self.token, "<telegram-token>")
            record.args = ()
        return True


def _protect_logs(token: str) -> None:
    for name in ("httpx", "httpcore", "telegram", "telegram.Bot", "telegram.request"):
        log = logging.getLogger(name)
        if not any(isinstance(f, _RedactToken) and f.token == token for f in log.filters):
            log.addFilter(_RedactToken(token))
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.level == logging.NOTSET:  # one INFO line per Bot API call otherwise
        httpx_logger.setLevel(logging.WARNING)


def make_bot(config: TelegramConfig) -> Bot:
    """A Bot for `config`; nothing is sent until it is used."""
    assert config.bot_token, "the channel is off without a token"
    _protect_logs(config.bot_token)
    return Bot(
        config.bot_token,
        base_url=config.api_base_url,
        request=HTTPXRequest(
            connection_pool_size=64, connect_timeout=10, read_timeout=15, write_timeout=15
        ),
        # get_updates adds its long-poll timeout to this read timeout itself.
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=10),
    )


class ChatLocks:
    """One lock per chat, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._users: dict[int | None, int] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int | None) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if self._users[chat_id] == 0:
                del self._users[chat_id], self._locks[chat_id]


class RecentIds:
    """The last update ids seen, so an update delivered twice is handled once."""

    def __init__(self, capacity: int = 4096) -> None:
        self._ids: OrderedDict[int, None] = OrderedDict()
        self._capacity = capacity

    def add(self, update_id: int) -> bool:
        """True when `update_id` is new."""
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        while len(self._ids) > self._capacity:
            self._ids.popitem(last=False)
        return True


class Backoff:
    def __init__(self, first: float = 1.0, limit: float = MAX_BACKOFF_SECONDS) -> None:
        self.first, self.limit, self.current = first, limit, first

    def next(self) -> float:
        delay, self.current = self.current, min(self.current * 2, self.limit)
        return delay

    def reset(self) -> None:
        self.current = self.first


def _seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class TelegramRuntime:
    """Everything the channel runs while the Rasa server is up."""

    def __init__(self, config: TelegramConfig, bot: Bot | None = None) -> None:
        self.config = config
        self.bot = bot or make_bot(config)
        self.payloads = CallbackPayloads(pinned=assistant_payloads())
        self.output = TelegramOutput(self.bot, self.payloads)
        self.processor: UpdateProcessor | None = None
        self._locks = ChatLocks()
        self._seen = RecentIds()
        self._tasks: set[asyncio.Task] = set()
        self._startup: asyncio.Task | None = None
        self._poller: asyncio.Task | None = None

    def attach(self, on_new_message: OnNewMessage, state_lookup: StateLookup = _no_state) -> None:
        self.processor = UpdateProcessor(self.output, on_new_message, state_lookup, self.payloads)

    # --- life cycle ---

    def start_in_background(self) -> None:
        """Start without delaying the server: Telegram may be slow or down at that moment."""
        self._startup = asyncio.get_running_loop().create_task(self.start())

    async def start(self) -> None:
        logger.info("Telegram channel: starting in %s mode", self.config.mode)
        try:
            await self._initialize()
            await self.register_commands()
            if self.config.mode == "webhook":
                await self.set_webhook()
            elif self.config.mode == "polling":
                self._poller = asyncio.get_running_loop().create_task(self.poll())
        except Exception as error:  # a background task: nobody else would see it
            logger.error("Telegram channel: start failed (%s)", type(error).__name__)

    async def stop(self) -> None:
        """Stop polling, let running updates finish briefly, close the HTTP client."""
        for task in (self._startup, self._poller):
            if task and not task.done():
                task.cancel()
                with suppress(asyncio.CancelledError, Exception):
                    await task
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=STOP_GRACE_SECONDS)
            for task in pending:
                task.cancel()
        with suppress(Exception):
            await self.bot.shutdown()
        logger.info("Telegram channel: stopped")

    async def _initialize(self) -> None:
        try:
            await self.bot.initialize()  # getMe: checks the token
        except InvalidToken:
            logger.error("Telegram channel: the bot token was rejected")
        except TelegramError as error:
            logger.warning("Telegram channel: getMe failed (%s)", type(error).__name__)

    async def register_commands(self) -> None:
        """The command menu, in each language and a default for other app languages."""
        for language in (*SUPPORTED_LANGUAGES, None):
            commands = [
                BotCommand(name, description)
                for name, description in command_descriptions(language).items()
            ]
            try:
                await self.bot.set_my_commands(commands, language_code=language)
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
            await self.bot.set_webhook(
                url=self.config.webhook_url,
                secret_token=self.config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        except TelegramError as error:
            logger.error("Telegram channel: setWebhook failed (%s)", type(error).__name__)
            return False
        logger.info("Telegram channel: webhook set to %s", self.config.webhook_url)
        return True

    # --- updates ---

    def accept(self, update: Update) -> bool:
        """Schedule `update`; False when it was already seen or nobody can handle it."""
        if self.processor is None or not self._seen.add(update.update_id):
            return False
        task = asyncio.get_running_loop().create_task(self._handle(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _handle(self, update: Update) -> None:
        assert self.processor is not None
        chat = update.effective_chat
        logger.debug("Telegram update %s: %s", update.update_id, update_kind(update))
        async with self._locks.hold(chat.id if chat else None):
            await self.processor.process(update)

    async def poll(self) -> None:
        """Long polling: deleteWebhook once, then getUpdates for ever, offset after offset."""
        backoff = Backoff()
        try:
            while not await self._delete_webhook():
                await asyncio.sleep(backoff.next())
        except InvalidToken:
            logger.error("Telegram channel: the bot token was rejected; polling stops")
            return
        backoff.reset()
        offset: int | None = None
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.config.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                )
            except InvalidToken:
                logger.error("Telegram channel: the bot token was rejected; polling stops")
                return
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error.retry_after))
                continue
            except Exception as error:  # network, Telegram, anything: polling must go on
                logger.warning("Telegram channel: getUpdates failed (%s)", type(error).__name__)
                await asyncio.sleep(backoff.next())
                continue
            backoff.reset()
            for update in updates:
                offset = update.update_id + 1
                self.accept(update)

    async def _delete_webhook(self) -> bool:
        """False when it should be tried again; a rejected token raises InvalidToken."""
        try:
            await self.bot.delete_webhook(drop_pending_updates=False)
        except InvalidToken:
            raise
        except TelegramError as error:
            logger.warning("Telegram channel: deleteWebhook failed (%s)", type(error).__name__)
            return False
        return True

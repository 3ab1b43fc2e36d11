"""Telegram channel for Rasa, built on python-telegram-bot (async).

Configured through the environment so credentials.yml never holds a secret:

- ``TELEGRAM_BOT_TOKEN``: without it the channel is off (the webhook answers 503).
- ``TELEGRAM_WEBHOOK_SECRET``: checked on every webhook call (header
  ``X-Telegram-Bot-Api-Secret-Token``) and given to setWebhook.
- ``TELEGRAM_PUBLIC_URL``: the server's public base URL; when set, the channel calls
  setWebhook at start (webhook mode), otherwise it long-polls getUpdates (polling mode).
- ``TELEGRAM_API_BASE_URL``: the Bot API (default Telegram's); tests point it at a fake.
- ``TELEGRAM_POLL_TIMEOUT``: seconds one getUpdates call may wait (default 30).

A key of the same name without the prefix in credentials.yml (``bot_token``,
``webhook_secret``, ...) overrides the variable. The conversation id is the chat id.
Polling runs inside the Rasa server: use webhook mode with more than one Sanic worker.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.telegram_config import TelegramConfig
from channels.telegram_runtime import SECRET_HEADER, TelegramRuntime, parse_update, secret_matches
from channels.telegram_updates import CHANNEL_NAME, ConversationState, OnNewMessage

logger = logging.getLogger(__name__)


class TelegramInput(InputChannel):
    """Webhook (POST /webhooks/telegram/webhook) or long polling, then Rasa."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TelegramInput:
        return cls(TelegramConfig.load(credentials))

    def __init__(self, config: TelegramConfig | None = None) -> None:
        self.config = config or TelegramConfig.load()
        self.runtime = TelegramRuntime(self.config) if self.config.enabled else None
        self._app: Sanic | None = None
        if self.runtime is None:
            logger.info("Telegram channel: off (TELEGRAM_BOT_TOKEN is not set)")

    def get_output_channel(self) -> OutputChannel | None:
        """Lets Rasa's API send to a Telegram chat outside a reply (e.g. a counsellor)."""
        return self.runtime.output if self.runtime else None

    async def conversation_state(self, sender_id: str) -> ConversationState:
        """Language and current question, read from Rasa's tracker store; empty if unknown."""
        agent = getattr(self._app.ctx, "agent", None) if self._app else None
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return ConversationState()
        try:
            tracker = await store.retrieve(sender_id)
        except Exception as error:
            logger.warning("Telegram channel: tracker not read (%s)", type(error).__name__)
            return ConversationState()
        if tracker is None:
            return ConversationState()
        return ConversationState(
            language=tracker.get_slot("language"),
            detected_language=tracker.get_slot("detected_language"),
            active_loop=tracker.active_loop_name,
            requested_slot=tracker.get_slot("requested_slot"),
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("telegram_webhook", __name__)
        runtime = self.runtime
        if runtime is not None:
            runtime.attach(on_new_message, self.conversation_state)
            self._register_listeners(blueprint, runtime)

        @blueprint.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "mode": self.config.mode})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return self._webhook(request)

        return blueprint

    def _register_listeners(self, blueprint: Blueprint, runtime: TelegramRuntime) -> None:
        @blueprint.listener("after_server_start")
        async def start(app: Sanic, _loop: Any) -> None:
            self._app = app
            runtime.start_in_background()

        @blueprint.listener("before_server_stop")
        async def stop(_app: Sanic, _loop: Any) -> None:
            await runtime.stop()

    def _webhook(self, request: Request) -> HTTPResponse:
        """Checks and schedules one update; Telegram gets its answer before Rasa runs."""
        if self.runtime is None:
            return response.json(
                {"ok": False, "error": "the Telegram channel is not configured"}, status=503
            )
        given = request.headers.get(SECRET_HEADER)
        if not secret_matches(self.config.webhook_secret, given):
            reason = "without the secret token" if given is None else "with a wrong secret token"
            logger.warning("Telegram webhook: refused a request %s", reason)
            return response.json({"ok": False, "error": "forbidden"}, status=403)
        update = parse_update(request.body, self.runtime.bot)
        if update is None:
            logger.warning("Telegram webhook: refused a body that is not a Telegram update")
            return response.json({"ok": False, "error": "not a Telegram update"}, status=400)
        self._app = self._app or request.app
        self.runtime.accept(update)
        return response.json({"ok": True})

"""The Rasa input channel: the webhook route in Rasa's Sanic server, and the start/stop hooks."""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.telegram.application import build_application
from channels.telegram.callback_payloads import CallbackPayloads, assistant_payloads
from channels.telegram.config import TelegramConfig
from channels.telegram.context import attach_rasa
from channels.telegram.conversation import ConversationState, read_conversation_state
from channels.telegram.lifecycle import ChannelLifecycle
from channels.telegram.output import TelegramOutput
from channels.telegram.rasa_bridge import CHANNEL_NAME, OnNewMessage, RasaBridge
from channels.telegram.webhook import SECRET_HEADER, parse_update, secret_matches

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
        self.application = build_application(self.config) if self.config.enabled else None
        self.output: TelegramOutput | None = None
        self.lifecycle: ChannelLifecycle | None = None
        if self.application is not None:
            payloads = CallbackPayloads(pinned=assistant_payloads())
            self.output = TelegramOutput(self.application.bot, payloads)
            self.lifecycle = ChannelLifecycle(self.application, self.config)
        else:
            logger.info("Telegram channel: off (TELEGRAM_BOT_TOKEN is not set)")
        self._app: Sanic | None = None

    def get_output_channel(self) -> OutputChannel | None:
        """Lets Rasa's API send to a Telegram chat outside a reply (e.g. a counsellor)."""
        return self.output

    async def conversation_state(self, sender_id: str) -> ConversationState:
        """Language and current question, read from Rasa's tracker store."""
        agent = getattr(self._app.ctx, "agent", None) if self._app else None
        return await read_conversation_state(getattr(agent, "tracker_store", None), sender_id)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        blueprint = Blueprint("telegram_webhook", __name__)
        if self.application is not None and self.output is not None:
            attach_rasa(
                self.application,
                RasaBridge(self.output, on_new_message, self.conversation_state),
            )
            self._register_listeners(blueprint)

        @blueprint.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "mode": self.config.mode})

        @blueprint.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self._webhook(request)

        return blueprint

    def _register_listeners(self, blueprint: Blueprint) -> None:
        @blueprint.listener("after_server_start")
        async def start(app: Sanic, _loop: Any) -> None:
            self._app = app
            if self.lifecycle:
                self.lifecycle.start_in_background()

        @blueprint.listener("before_server_stop")
        async def stop(_app: Sanic, _loop: Any) -> None:
            if self.lifecycle:
                await self.lifecycle.stop()

    async def _webhook(self, request: Request) -> HTTPResponse:
        """Checks one update and queues it; Telegram gets its answer before Rasa runs."""
        if self.application is None:
            return response.json(
                {"ok": False, "error": "the Telegram channel is not configured"}, status=503
            )
        given = request.headers.get(SECRET_HEADER)
        if not secret_matches(self.config.webhook_secret, given):
            reason = "without the secret token" if given is None else "with a wrong secret token"
            logger.warning("Telegram webhook: refused a request %s", reason)
            return response.json({"ok": False, "error": "forbidden"}, status=403)
        update = parse_update(request.body, self.application.bot)
        if update is None:
            logger.warning("Telegram webhook: refused a body that is not a Telegram update")
            return response.json({"ok": False, "error": "not a Telegram update"}, status=400)
        self._app = self._app or request.app
        await self.application.update_queue.put(update)
        return response.json({"ok": True})

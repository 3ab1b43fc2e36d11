"""Rasa's REST channel, bound to its own conversations and closed to strangers.

`POST /webhooks/rest/webhook {"sender": "abc", "message": "hallo"}` talks in the
conversation `rest:abc`: a REST sender can never reach a widget (`web:`) or Telegram
(`tg:`) conversation, whatever it sends.

Who may use it (`REST_CHANNEL`, see bot/settings.py):
- `off` (the production default): the channel answers 404;
- `on` (the local default): open to requests made on this machine (loopback, not
  forwarded by a proxy); from anywhere else it needs `Authorization: Bearer <token>`,
  the token being `REST_CHANNEL_TOKEN` (or `REST_CHANNEL_TOKEN_FILE`). In production
  the token is required from loopback too.

Bad requests get a 400 with a plain reason; a sender over the rate limit gets one
"please wait" message and its text is not processed.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.network import bearer_token, is_loopback
from bot.secret_values import read_secret
from bot.settings import Settings, load_settings
from channels.message_text import MAX_MESSAGE_CHARS, clean_message_text
from channels.rate_limit import ConversationRateLimiter, shared_limiter, slow_down_text

logger = logging.getLogger(__name__)

CHANNEL_NAME = "rest"
PREFIX = "rest:"
MAX_SENDER_CHARS = 128
# bandit B105: The name of a setting or header, not a secret.
TOKEN_NAME = "REST_CHANNEL_TOKEN"  # nosec B105
_PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def conversation_id(sender: str) -> str:
    return f"{PREFIX}{sender}"


def is_local_request(request: Request) -> bool:
    """Made on this machine and not passed on by a proxy (nginx adds X-Forwarded-For)."""
    if any(name in request.headers for name in _PROXY_HEADERS):
        return False
    return is_loopback(request.ip)


def read_body(request: Request) -> tuple[dict[str, Any] | None, str]:
    """(the valid body, "") or (None, the reason it is refused)."""
    try:
        body = request.json
    except Exception:  # sanic raises its own error on malformed JSON
        return None, "the body must be JSON"
    if not isinstance(body, dict):
        return None, "the body must be a JSON object"
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return None, f"'sender' must be a text of 1 to {MAX_SENDER_CHARS} characters"
    if not sender.isprintable() or clean_message_text(sender) != sender:
        return None, "'sender' must be printable Unicode text"
    if not isinstance(message, str) or len(message) > MAX_MESSAGE_CHARS:
        return None, f"'message' must be a text of at most {MAX_MESSAGE_CHARS} characters"
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return None, "'metadata' must be a JSON object"
    return body, ""


class RestInput(InputChannel):
    """`rest` in credentials.yml: Rasa's REST webhook with channel-bound conversations."""

    def __init__(
        self,
        settings: Settings | None = None,
        limiter: ConversationRateLimiter | None = None,
    ) -> None:
        self.settings = settings or load_settings()
        self.limiter = limiter
        self._token: str | None = None

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> RestInput:
        return cls()

    def token(self) -> str:
        """The token strangers must show ("" when none is configured locally)."""
        if self._token is None:
            self._token = read_secret(
                TOKEN_NAME,
                self.settings.var_dir,
                production=self.settings.production,
                generate=False,
            )
        return self._token

    def refusal(self, request: Request) -> HTTPResponse | None:
        """Why this request may not use the channel, as the answer to give; None: it may."""
        if self.settings.rest_channel != "on":
            return response.json({"error": "not found"}, status=404)
        if is_local_request(request) and not self.settings.production:
            return None
        expected = self.token()
        if expected and hmac.compare_digest(
            bearer_token(request.headers.get("authorization")).encode(), expected.encode()
        ):
            return None
        return response.json({"error": "a valid bearer token is required"}, status=401)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("rest_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return self.refusal(request) or response.json({"status": "ok"})

        @blueprint.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            refused = self.refusal(request)
            if refused:
                return refused
            body, reason = read_body(request)
            if body is None:
                return response.json({"error": reason}, status=400)
            conversation = conversation_id(body["sender"])
            limiter = self.limiter or shared_limiter()
            if not limiter.allow(conversation):
                language = (body.get("metadata") or {}).get("language")
                text = slow_down_text(language if isinstance(language, str) else None)
                return response.json([{"recipient_id": conversation, "text": text}], status=429)
            collector = CollectingOutputChannel()
            metadata = {**(body.get("metadata") or {}), "channel": CHANNEL_NAME}
            message = UserMessage(
                clean_message_text(body["message"]),
                collector,
                conversation,
                input_channel=CHANNEL_NAME,
                metadata=metadata,
            )
            try:
                await on_new_message(message)
            except Exception:  # what was answered so far still reaches the sender
                logger.exception("the REST message could not be handled")
            return response.json(collector.messages)

        return blueprint

"""The widget's socket.io channel: server-issued, signed sessions; one room per conversation.

Rasa's built-in `SocketIOInput` lets the browser choose its session id and takes it as the
conversation id, so anybody who knows or guesses an id reads that conversation (and in
Rasa 3.6 its persistent sessions are broken: `enter_room` is not awaited, RasaHQ/rasa#13027).
This channel keeps its name (`socketio`), its path (`/socket.io`) and its events
(`session_request` / `session_confirm`, `user_uttered`, `bot_uttered`), and changes who
decides the session:

- `session_request {session_id}`: the id is kept only when it carries the server's
  signature (session_token.py); otherwise the socket gets a new id. The server answers
  `session_confirm` with the signed id, which the widget keeps, remembers the session for
  this socket (`save_session`) and puts the socket in the room `web:<id>`.
- `user_uttered {message, metadata}`: the conversation is `web:<id>` of the socket's
  confirmed session, whatever the payload claims; a socket without one is given one first.
- Rasa sends replies to the room named by the conversation id (socketio_output.py), so a
  reply reaches only the sockets of its session; messages sent later through Rasa's API
  with `output_channel=latest` (a counsellor's) reach them the same way.

Only the origins of `ALLOWED_ORIGINS` (and the server's own pages) may open a socket from
a browser.

Several Rasa servers: when the channels have a Redis (`REDIS_URL`, required in
production; channels/redis_client.py), the socket.io server's manager is
`AsyncRedisManager`, so an emit to a room on one server (a counsellor's message through
Rasa's API, which may land on any server) reaches the sockets connected to every other.
A socket itself must stay on one server (the load balancer's sticky sessions).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot.settings import Settings, load_settings
from channels.message_text import clean_message_text
from channels.rate_limit import RateLimiter, shared_limiter, slow_down_text
from channels.redis_client import key, shared_redis_url
from channels.webchat.session_token import SessionSigner, conversation_id
from channels.webchat.socketio_output import WebchatSocketIOOutput

logger = logging.getLogger(__name__)

SESSION_KEY = "session_id"  # in the socket's server-side session


def own_origins(environ: dict[str, Any]) -> set[str]:
    """The origin of the server itself, as the browser names it (behind a proxy too)."""
    host = environ.get("HTTP_HOST", "")
    scheme = environ.get("wsgi.url_scheme", "http")
    found = {f"{scheme}://{host}"} if host else set()
    forwarded_host = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
    forwarded_proto = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
    if forwarded_host:
        found.add(f"{forwarded_proto}://{forwarded_host}")
    return found


def origin_check(allowed: Collection[str]) -> Callable[[str, dict[str, Any]], bool]:
    """socket.io's origin check: the allowed origins and the server's own pages (the demo).

    Only browsers send an Origin; socket.io lets requests without one through.
    """
    allowed_set = {origin.rstrip("/") for origin in allowed}

    def is_allowed(origin: str, environ: dict[str, Any]) -> bool:
        return origin in allowed_set or origin in own_origins(environ)

    return is_allowed


def message_metadata(value: Any) -> dict[str, Any]:
    """The metadata of a message (the widget sends its language): a dict, or nothing."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


MAX_SOCKET_PACKET_BYTES = 64 * 1024


def client_manager(settings: Settings) -> AsyncRedisManager | None:
    """The manager every Rasa server shares through Redis; None: this server only."""
    url = shared_redis_url(settings)
    if not url:
        return None
    # One pub/sub channel per deployment (the key prefix), the same on every server.
    return AsyncRedisManager(url, channel=key(settings, "socketio"))


class WebchatSocketIO(SocketIOInput):
    """Rasa's socket.io channel with sessions the server issues, signs and keeps."""

    def __init__(
        self,
        user_message_evt: str = "user_uttered",
        bot_message_evt: str = "bot_uttered",
        namespace: str | None = None,
        socketio_path: str = "/socket.io",
        metadata_key: str = "metadata",
        signer: SessionSigner | None = None,
        allowed_origins: Collection[str] | None = None,
        limiter: RateLimiter | None = None,
        manager: AsyncRedisManager | None = None,
    ) -> None:
        super().__init__(
            user_message_evt=user_message_evt,
            bot_message_evt=bot_message_evt,
            namespace=namespace,
            session_persistence=True,
            socketio_path=socketio_path,
            metadata_key=metadata_key,
        )
        # Read when the server starts (blueprint), so that importing needs no secret.
        self.signer = signer
        self.allowed_origins = allowed_origins
        self.limiter = limiter  # None: the one every channel of this process shares
        self.manager = manager  # None: from the settings (Redis when configured)

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        if credentials.get("jwt_key"):
            raise ValueError("socketio: jwt_key is not supported; the server signs sessions")
        if credentials.get("session_persistence") is False:
            raise ValueError("socketio: sessions always persist in this channel")
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            credentials.get("socketio_path", "/socket.io"),
            credentials.get("metadata_key", "metadata"),
        )

    def get_output_channel(self) -> OutputChannel | None:
        if self.sio is None:
            return super().get_output_channel()  # warns, as Rasa does, and gives None
        return WebchatSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        settings = load_settings()
        if self.signer is None:
            self.signer = SessionSigner.from_settings(settings)
        if self.allowed_origins is None:
            self.allowed_origins = settings.allowed_origins
        manager = self.manager or client_manager(settings)
        sio = AsyncServer(
            async_mode="sanic",
            client_manager=manager,
            cors_allowed_origins=origin_check(self.allowed_origins),
            # engine.io's default is a megabyte; a chat message never needs that much.
            max_http_buffer_size=MAX_SOCKET_PACKET_BYTES,
        )
        self.sio = sio
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        namespace = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any) -> None:
            token = data.get("session_id") if isinstance(data, dict) else None
            await self._confirm(sid, token)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            session_id = await self._session_of(sid) or await self._confirm(sid, None)
            metadata = message_metadata(data.get(self.metadata_key))
            if not (self.limiter or shared_limiter()).allow(conversation_id(session_id)):
                language = metadata.get("language")
                wait = {"text": slow_down_text(language if isinstance(language, str) else None)}
                await sio.emit(self.bot_message_evt, wait, room=sid, namespace=namespace)
                return
            text = data.get("message")
            message = UserMessage(
                clean_message_text(text) if isinstance(text, str) else "",
                WebchatSocketIOOutput(sio, self.bot_message_evt),
                conversation_id(session_id),
                input_channel=self.name(),
                metadata=metadata,
            )
            await on_new_message(message)

        return webhook

    async def _session_of(self, sid: str) -> str | None:
        # bandit B101: Invariant for the type checker, not a check of input.
        assert self.sio is not None  # nosec B101
        session = await self.sio.get_session(sid, namespace=self.namespace)
        return session.get(SESSION_KEY)

    async def _confirm(self, sid: str, token: object) -> str:
        """Give socket `sid` the session `token` proves (or a new one); returns its id."""
        # bandit B101: Invariant for the type checker, not a check of input.
        assert self.sio is not None and self.signer is not None  # nosec B101
        session_id = self.signer.verify(token)
        if session_id is None:
            if token:
                logger.info("webchat: a session id without a valid signature: new session")
            session_id = self.signer.new_session_id()
        previous = await self._session_of(sid)
        if previous and previous != session_id:
            # The widget started afresh on this socket: the old conversation stays behind.
            await self.sio.leave_room(sid, conversation_id(previous), namespace=self.namespace)
        await self.sio.save_session(sid, {SESSION_KEY: session_id}, namespace=self.namespace)
        await self.sio.enter_room(sid, conversation_id(session_id), namespace=self.namespace)
        signed = self.signer.sign(session_id)
        await self.sio.emit("session_confirm", signed, room=sid, namespace=self.namespace)
        return session_id

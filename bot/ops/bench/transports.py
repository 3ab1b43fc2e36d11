"""How a simulated citizen reaches Rasa: the REST webhook or a socket.io connection.

Both give `send(text) -> (messages, seconds)`: the assistant's messages for that turn
and the turn's latency, or raise `TurnError` (kind "http", "timeout" or "connection").

- REST: one POST to /webhooks/rest/webhook; latency from sending the request to having
  read the whole answer (every message of the turn comes in that one answer).
- socket.io: the widget's session flow (connect, `session_request`, wait for
  `session_confirm`), then `user_uttered` sent with an acknowledgement, as the widget
  sends it. Both servers acknowledge once Rasa has handled the message, after its
  replies were emitted. Latency: from the emit to the arrival of the turn's last
  `bot_uttered` message (to the acknowledgement when the turn had no message).
  python-socketio's AsyncClient uses HTTP long-polling here: its WebSocket transport
  needs a newer aiohttp than the one Rasa 3.6 pins (see tests/unit/channels/webchat/).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp
import socketio

REST_PATH = "/webhooks/rest/webhook"
SOCKETIO_PATH = "/socket.io"


class TurnError(Exception):
    """A turn that got no answer: kind is "http", "timeout" or "connection"."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


@dataclass
class Message:
    """One message of the assistant, whatever the channel."""

    text: str = ""
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (title, payload)

    @classmethod
    def from_rest(cls, data: Any) -> Message:
        if not isinstance(data, dict):
            return cls()
        return cls(data.get("text") or "", _buttons(data.get("buttons")))

    @classmethod
    def from_socket(cls, data: Any) -> Message:
        if not isinstance(data, dict):
            return cls()
        buttons = data.get("quick_replies") or data.get("buttons")
        return cls(data.get("text") or "", _buttons(buttons))


def _buttons(raw: Any) -> list[tuple[str, str]]:
    if not isinstance(raw, list):
        return []
    return [
        (str(b.get("title") or ""), str(b.get("payload") or "")) for b in raw if isinstance(b, dict)
    ]


class Transport(Protocol):
    channel: str

    async def open(self) -> None: ...

    async def send(self, text: str) -> tuple[list[Message], float]: ...

    async def close(self) -> None: ...


class RestTransport:
    channel = "rest"

    def __init__(
        self, http: aiohttp.ClientSession, rasa_url: str, sender: str, timeout: float
    ) -> None:
        self.http = http
        self.url = rasa_url + REST_PATH
        self.sender = sender
        self.timeout = aiohttp.ClientTimeout(total=timeout)

    async def open(self) -> None:
        return None

    async def send(self, text: str) -> tuple[list[Message], float]:
        started = time.perf_counter()
        try:
            async with self.http.post(
                self.url, json={"sender": self.sender, "message": text}, timeout=self.timeout
            ) as answer:
                body = await answer.read()
                if answer.status != 200:
                    raise TurnError("http", f"HTTP {answer.status}: {body[:200]!r}")
        except asyncio.TimeoutError as error:
            raise TurnError("timeout", f"no answer within {self.timeout.total:.0f} s") from error
        except aiohttp.ClientError as error:
            raise TurnError("connection", repr(error)[:200]) from error
        elapsed = time.perf_counter() - started
        try:
            data = json.loads(body or b"[]")
        except ValueError as error:
            raise TurnError("http", f"not JSON: {body[:200]!r}") from error
        if not isinstance(data, list):
            raise TurnError("http", f"not a list of messages: {body[:200]!r}")
        return [Message.from_rest(item) for item in data], elapsed

    async def close(self) -> None:
        return None


class SocketTransport:
    """One widget tab: its own socket.io connection and session."""

    channel = "socketio"

    def __init__(self, rasa_url: str, timeout: float, language: str | None = None) -> None:
        self.url = rasa_url
        self.timeout = timeout
        self.language = language
        # request_timeout: engine.io's own HTTP requests (handshake, sending) wait as long
        # as a turn may take (its default, 5 s, fails them on a busy server).
        self.client = socketio.AsyncClient(
            reconnection=False, handle_sigint=False, request_timeout=timeout
        )
        self.session: str | None = None
        self._confirmed = asyncio.Event()
        self._arrivals: list[tuple[float, Any]] = []
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self._on_message)

    async def _on_confirm(self, data: Any) -> None:
        self.session = data if isinstance(data, str) else str(data)
        self._confirmed.set()

    async def _on_message(self, data: Any) -> None:
        self._arrivals.append((time.perf_counter(), data))

    async def open(self) -> None:
        try:
            await asyncio.wait_for(
                self.client.connect(
                    self.url,
                    socketio_path=SOCKETIO_PATH,
                    transports=["polling"],
                    wait_timeout=self.timeout,  # socket.io's 1 s fails on a busy server
                ),
                self.timeout,
            )
            await self.client.emit("session_request", {"session_id": None})
            await asyncio.wait_for(self._confirmed.wait(), self.timeout)
        except asyncio.TimeoutError as error:
            raise TurnError("timeout", "no socket.io session within the timeout") from error
        except (socketio.exceptions.SocketIOError, aiohttp.ClientError, OSError) as error:
            raise TurnError("connection", repr(error)[:200]) from error

    async def send(self, text: str) -> tuple[list[Message], float]:
        data: dict[str, Any] = {"message": text}
        if self.language:
            data["metadata"] = {"language": self.language}
        self._arrivals = []
        started = time.perf_counter()
        try:
            await self.client.call("user_uttered", data, timeout=self.timeout)
        except socketio.exceptions.TimeoutError as error:
            raise TurnError("timeout", f"no acknowledgement within {self.timeout:.0f} s") from error
        except socketio.exceptions.SocketIOError as error:
            raise TurnError("connection", repr(error)[:200]) from error
        acknowledged = time.perf_counter()
        await asyncio.sleep(0)  # messages read with the acknowledgement are handled first
        arrivals = [a for a in self._arrivals if a[0] >= started]
        last = max((a[0] for a in arrivals), default=acknowledged)
        return [Message.from_socket(d) for _, d in arrivals], last - started

    async def close(self) -> None:
        """Leave at once, as a closed tab does (a polite disconnect waits for the pending
        long-poll to time out)."""
        engineio = self.client.eio
        reading = engineio.read_loop_task
        with contextlib.suppress(Exception):
            await engineio.disconnect(abort=True)
        if reading is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(reading, return_exceptions=True), 10)

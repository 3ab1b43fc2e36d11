"""A widget's socket as a test drives it: python-socketio's AsyncClient, speaking the widget's
events (`session_request` / `session_confirm`, `user_uttered`, `bot_uttered`).

It uses socket.io's HTTP long-polling transport: the client's WebSocket transport needs a
newer aiohttp than the one Rasa 3.6 pins (`aiohttp.ClientWSTimeout`). The server's events,
sessions and rooms are the same for both transports; the browser tests use WebSocket."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import socketio


@dataclass
class WidgetSocket:
    """One browser tab's connection: what it was told, in order."""

    client: socketio.AsyncClient
    confirmed: list[str] = field(default_factory=list)
    received: list[Any] = field(default_factory=list)

    @classmethod
    async def open(cls, server_url: str, origin: str | None = None) -> WidgetSocket:
        client = socketio.AsyncClient(reconnection=False)
        socket = cls(client)
        client.on("session_confirm", socket.confirmed.append)
        client.on("bot_uttered", socket.received.append)
        headers = {"Origin": origin} if origin else {}
        await client.connect(
            server_url, socketio_path="/socket.io", transports=["polling"], headers=headers
        )
        return socket

    async def request_session(self, session_id: Any = None) -> str:
        """Ask for a session as the widget does; the signed id the server confirms."""
        before = len(self.confirmed)
        await self.client.emit("session_request", {"session_id": session_id})
        await self.wait_for(lambda: len(self.confirmed) > before)
        return self.confirmed[-1]

    async def say(self, message: str, language: str = "nl", **extra: Any) -> None:
        """Send a message and wait for its acknowledgement (Rasa has finished answering)."""
        data = {"message": message, "metadata": {"language": language}, **extra}
        await self.client.call("user_uttered", data, timeout=90)

    def texts(self) -> list[str]:
        return [m.get("text", "") for m in self.received if isinstance(m, dict)]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 30) -> Any:
        deadline = time.monotonic() + timeout
        while not (value := check()):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; received {self.received!r}")
            await asyncio.sleep(0.05)
        return value

    async def wait_for_text(self, text: str, timeout: float = 60) -> None:
        await self.wait_for(lambda: any(text in said for said in self.texts()), timeout)

    async def close(self) -> None:
        """Leave at once, as a closed tab does. (A polite disconnect waits for the pending
        long-poll to time out: half a minute.)"""
        engineio = self.client.eio
        reading = engineio.read_loop_task
        await engineio.disconnect(abort=True)
        if reading is not None:
            await asyncio.wait_for(asyncio.gather(reading, return_exceptions=True), 10)

"""socket.io (the widget's transport): a python-socketio client sends random
`session_request` and `user_uttered` payloads, unknown events and huge messages; some cases
are raw engine.io HTTP requests. Checks: the server keeps answering in time, shows no
internals in any event, and never confirms a session id it did not sign."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

import aiohttp
import socketio

from tests.fuzz.checks import Outcome, judge_http, leaks
from tests.fuzz.http_client import HttpCase, send
from tests.fuzz.http_target import case_random
from tests.fuzz.payloads import Payloads

# python-engineio's websocket client needs aiohttp 3.10 (ClientWSTimeout); with an older
# aiohttp the client can only poll (the server side is the same either way).
TRANSPORTS = (
    [["websocket"], ["polling"], ["polling", "websocket"]]
    if hasattr(aiohttp, "ClientWSTimeout")
    else [["polling"]]
)
SIGNED_SESSION = re.compile(r"[0-9a-f]{32}\.[A-Za-z0-9_-]{43}")
EVENTS = ["session_request", "user_uttered", "bot_uttered", "session_confirm", "message", "x"]


def is_valid_request_target(target: str) -> bool:
    """HTTP allows visible ASCII only in a request line (RFC 9112, 3.2)."""
    return all("!" <= character <= "~" for character in target)


class SocketIOTarget:
    name = "socketio"

    def __init__(self, host: str, port: int, seed: int, bound: float) -> None:
        self.host, self.port, self.seed, self.bound = host, port, seed, bound
        self.url = f"http://{host}:{port}"

    async def case(self, index: int) -> Outcome:
        payloads = Payloads(case_random(self.seed, self.name, index))
        if payloads.rng.random() < 0.2:
            return await self._raw_case(index, payloads)
        return await self._client_case(index, payloads)

    # --- raw engine.io over HTTP -------------------------------------------------------

    async def _raw_case(self, index: int, payloads: Payloads) -> Outcome:
        rng = payloads.rng
        query = rng.choice(
            ["?EIO=4&transport=polling", "?EIO=3&transport=polling", "?EIO=4&transport=websocket",
             "?EIO=4&transport=polling&sid=" + payloads.text(20), "", payloads.query()]
        )  # fmt: skip
        body = rng.choice(
            [b"", b"40", b'42["user_uttered",{"message":"hi"}]', payloads.random_bytes(),
             payloads.json_body(payloads.value()), b"4" * 10_000]
        )  # fmt: skip
        headers = [("Content-Type", payloads.content_type()), *payloads.extra_headers()]
        request = HttpCase(rng.choice(["GET", "POST", payloads.method()]), "/socket.io/" + query,
                           headers, body)  # fmt: skip
        answer = await send(self.host, self.port, request, timeout=self.bound + 5)
        sent = request.target + request.body.decode("utf-8", "replace")
        problems = judge_http(answer, sent, self.bound)
        if answer.problem == "closed" and not is_valid_request_target(request.target):
            problems = []  # not HTTP at all: closing the connection is the right answer
        return Outcome(
            self.name,
            index,
            "engine.io http",
            answer.status if answer.status is not None else answer.problem,
            answer.seconds,
            problems,
            request.describe(),
            answer.text[:300],
        )

    # --- a real client -----------------------------------------------------------------

    def _emits(self, payloads: Payloads) -> tuple[str, list[tuple[str, Any]]]:
        rng = payloads.rng
        roll = rng.random()
        if roll < 0.35:
            token = rng.choice(
                [None, payloads.text(50), "a" * 32 + "." + "b" * 43, payloads.value(), ""]
            )
            request = {"session_id": token} if rng.random() < 0.8 else payloads.value()
            message = {"message": payloads.text(200), "session_id": payloads.text(40)}
            if rng.random() < 0.4:
                message["metadata"] = rng.choice([payloads.value(), "{not json", '{"language": 1}'])
            return "session and message", [("session_request", request), ("user_uttered", message)]
        if roll < 0.6:
            valid = {"message": "hallo", "session_id": "x", "metadata": {"language": "nl"}}
            return "broken message", [("user_uttered", payloads.mutate(valid))]
        if roll < 0.75:
            return "any payload", [
                (rng.choice(EVENTS), payloads.value()) for _ in range(rng.randint(1, 3))
            ]
        if roll < 0.8:
            return "huge message", [("user_uttered", {"message": payloads.huge_text()})]
        if roll < 0.9:
            return "long message", [("user_uttered", {"message": payloads.text(50) * 400})]
        return "many messages", [
            ("user_uttered", {"message": payloads.text(30)}) for _ in range(rng.randint(5, 20))
        ]

    async def _client_case(self, index: int, payloads: Payloads) -> Outcome:
        kind, emits = self._emits(payloads)
        received: list[tuple[str, Any]] = []
        client = socketio.AsyncClient(reconnection=False, request_timeout=self.bound)

        @client.on("*")
        async def any_event(event: str, data: Any = None) -> None:
            received.append((event, data))

        @client.on("session_confirm")
        async def confirmed(data: Any = None) -> None:
            received.append(("session_confirm", data))

        @client.on("bot_uttered")
        async def uttered(data: Any = None) -> None:
            received.append(("bot_uttered", data))

        transports = payloads.rng.choice(TRANSPORTS)
        started = time.monotonic()
        problems: list[str] = []
        status = "connected"
        try:
            await asyncio.wait_for(
                client.connect(self.url, transports=transports, wait_timeout=self.bound),
                self.bound + 5,
            )
        except (socketio.exceptions.ConnectionError, asyncio.TimeoutError) as error:
            problems.append(f"could not connect: {error!r}")
            status = "no connection"
        if client.connected:
            for event, data in emits:
                try:
                    await asyncio.wait_for(client.emit(event, data), self.bound)
                except (socketio.exceptions.SocketIOError, asyncio.TimeoutError, TypeError):
                    status = "dropped"  # the server may drop a socket that sends junk
                    break
            await asyncio.sleep(0.3)
            await _close(client)
        seconds = time.monotonic() - started
        if seconds > self.bound + 1:
            problems.append(f"took {seconds:.1f} s (bound {self.bound:.0f} s)")
        problems += self._judge_events(emits, received)
        return Outcome(
            self.name,
            index,
            kind,
            status,
            seconds,
            problems,
            {"transports": transports, "emits": _preview(emits)},
            _preview(received)[:300],
        )

    def _judge_events(
        self, emits: list[tuple[str, Any]], received: list[tuple[str, Any]]
    ) -> list[str]:
        problems = []
        sent = _preview(emits, limit=10**7)
        tokens = [
            data.get("session_id")
            for event, data in emits
            if event == "session_request" and isinstance(data, dict)
        ]
        for event, data in received:
            shown = leaks(_preview([(event, data)], limit=10**7), sent)
            if shown:
                problems.append(f"event {event!r} shows internals: " + "; ".join(shown[:3]))
            if event == "session_confirm":
                if not (isinstance(data, str) and SIGNED_SESSION.fullmatch(data)):
                    problems.append(f"session_confirm is not a signed session id: {data!r:.80}")
                elif data in tokens:
                    problems.append("the server confirmed a session id it was sent, unsigned")
        return problems

    async def still_works(self) -> list[str]:
        """A new widget session: confirmed, then "hallo" gets an answer."""
        received: list[tuple[str, Any]] = []
        client = socketio.AsyncClient(reconnection=False)
        client.on("session_confirm", lambda data=None: received.append(("confirm", data)))
        client.on("bot_uttered", lambda data=None: received.append(("bot", data)))
        try:
            await client.connect(self.url, transports=TRANSPORTS[0], wait_timeout=30)
            await client.emit("session_request", {"session_id": None})
            await _wait(lambda: any(kind == "confirm" for kind, _ in received), 30)
            await client.emit("user_uttered", {"message": "hallo"})
            await _wait(lambda: any(kind == "bot" for kind, _ in received), 90)
        except (socketio.exceptions.SocketIOError, TimeoutError, asyncio.TimeoutError) as error:
            return [f"a widget conversation no longer works: {error!r}; got {received!r:.200}"]
        finally:
            await _close(client)
        return []


async def _close(client: socketio.AsyncClient) -> None:
    """Close at once: a polite disconnect waits for the long poll (up to 25 s) to return."""
    if client.eio.state == "connected":
        await client.eio.disconnect(abort=True)


async def _wait(condition: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"nothing after {timeout:.0f} s")
        await asyncio.sleep(0.1)


def _preview(items: Any, limit: int = 2_000) -> str:
    text = json.dumps(items, default=repr, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} characters)"

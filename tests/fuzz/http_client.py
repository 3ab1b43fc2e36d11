"""A raw HTTP/1.1 client: any method, path, header and body, sent as given.

Ordinary clients refuse or repair what a fuzzer wants to send (unknown methods, bodies on
GET, odd header values, broken percent-encoding), so requests are written to the socket
directly. One connection per request (`Connection: close`); the answer is read until the
body is complete, the connection closes or the time bound passes.
"""

from __future__ import annotations

import asyncio
import base64
import time
from dataclasses import dataclass, field
from typing import Any

MAX_BODY = 4 * 1024 * 1024  # enough to judge an answer; the rest is not read


@dataclass
class HttpCase:
    """One request, as it goes on the wire."""

    method: str
    target: str  # path and query
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def wire(self, host: str) -> bytes:
        lines = [f"{self.method} {self.target} HTTP/1.1", f"Host: {host}", "Connection: close"]
        names = {name.lower() for name, _ in self.headers}
        lines += [f"{name}: {value}" for name, value in self.headers]
        if "content-length" not in names and (self.body or self.method in ("POST", "PUT")):
            lines.append(f"Content-Length: {len(self.body)}")
        head = "\r\n".join(lines) + "\r\n\r\n"
        return head.encode("latin-1", "replace") + self.body

    def describe(self) -> dict[str, Any]:
        """A JSON-able form, for a failure report: enough to send the request again."""
        return {
            "method": self.method,
            "target": self.target,
            "headers": self.headers,
            "body_base64": base64.b64encode(self.body).decode("ascii"),
            "body_preview": self.body[:300].decode("utf-8", "replace"),
            "body_length": len(self.body),
        }


@dataclass
class Answer:
    status: int | None  # None: no status line came back
    headers: dict[str, str]
    body: bytes
    seconds: float
    problem: str = ""  # "timeout", "closed", "reset", ...

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


async def send(host: str, port: int, case: HttpCase, timeout: float) -> Answer:
    """Send `case` to host:port and read the answer within `timeout` seconds."""
    started = time.monotonic()
    try:
        status, headers, body = await asyncio.wait_for(_exchange(host, port, case), timeout)
        return Answer(status, headers, body, time.monotonic() - started)
    except asyncio.TimeoutError:
        return Answer(None, {}, b"", time.monotonic() - started, "timeout")
    except (ConnectionResetError, BrokenPipeError):
        return Answer(None, {}, b"", time.monotonic() - started, "reset")
    except ConnectionRefusedError:
        return Answer(None, {}, b"", time.monotonic() - started, "refused: is the server down?")
    except _Closed:
        return Answer(None, {}, b"", time.monotonic() - started, "closed")


async def _exchange(
    host: str, port: int, case: HttpCase
) -> tuple[int | None, dict[str, str], bytes]:
    reader, writer = await asyncio.open_connection(host, port, limit=1024 * 1024)
    try:
        try:
            writer.write(case.wire(f"{host}:{port}"))
            await writer.drain()
        except (ConnectionResetError, BrokenPipeError):
            pass  # refused mid-body (a body too large): its answer may already be there
        status, headers = await _read_head(reader)
        body = b""
        streamed = headers.get("content-type", "").startswith("text/event-stream")
        if status is not None and not streamed:
            body = await _read_body(reader, headers, case.method)
        return status, headers, body
    finally:
        writer.close()


class _Closed(Exception):
    """The connection closed before any answer."""


async def _read_head(reader: asyncio.StreamReader) -> tuple[int | None, dict[str, str]]:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as partial:
        if not partial.partial:
            raise _Closed from None
        head = partial.partial
    except asyncio.LimitOverrunError:
        head = await reader.read(1024 * 1024)
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return None, {}
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str], method: str) -> bytes:
    if method == "HEAD":
        return b""
    if "content-length" in headers and headers["content-length"].isdigit():
        length = min(int(headers["content-length"]), MAX_BODY)
        try:
            return await reader.readexactly(length)
        except asyncio.IncompleteReadError as partial:
            return partial.partial
    body = b""
    while len(body) < MAX_BODY:
        chunk = await reader.read(65536)
        if not chunk:
            break
        body += chunk
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return _unchunk(body)
    return body


def _unchunk(raw: bytes) -> bytes:
    out = b""
    while raw:
        size_line, _, rest = raw.partition(b"\r\n")
        try:
            size = int(size_line.split(b";")[0], 16)
        except ValueError:
            return out + raw
        if size == 0:
            break
        out += rest[:size]
        raw = rest[size + 2 :]
    return out

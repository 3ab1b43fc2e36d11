"""Hostile values made from a `random.Random`: texts, JSON, bodies, headers, paths.

Everything is drawn from the generator it is given, so a case is the same every time it
is made from the same seed.
"""

from __future__ import annotations

import json
import random
import string
from typing import Any
from urllib.parse import quote

# Pieces that break naive code: control and invisible characters, lone surrogates (as
# JSON escapes), emoji sequences, right-to-left text, markup, injections, format strings,
# file paths, and words that look like the internals a server must never show.
TRICKY_TEXTS = (
    "",
    " ",
    "\x00",
    "\x1b[31m",
    "\r\n\r\n",
    "\u202e\u2066",
    "\u200b\ufeff",
    "\ud800",
    "\udfff\ud800",
    "👨\u200d👩\u200d👧\U0001f1e7\U0001f1ea",
    "مرحبا بك",
    "שלום",
    "日本語のテキスト",
    "Z\u0351\u0352\u0353a\u0300\u0301\u0302l\u0303g\u0304o",
    "<script>alert(1)</script>",
    "<b>&amp;</b>",
    "'; DROP TABLE handoff_requests;--",
    '" OR 1=1 --',
    "${jndi:ldap://x}",
    "{{7*7}}",
    "%s%s%s%n",
    "{0.__class__}",
    "../../../../etc/passwd",
    "..%2f..%2f..%2fetc%2fpasswd",
    "/start",
    "/human_handoff",
    '/inform{"national_number": "85073003328"}',
    '/switch_language{"language": "xx"}',
    "/restart",
    "85.07.30-033.28",
    "0470 12 34 56",
    "jan@example.be",
    "JS-7K2M9QXA",
    "9000",
    "nan",
    "-1",
    "1e309",
    "null",
    "true",
    "9" * 400,
)
HEADER_NAMES = (
    "X-Forwarded-For",
    "X-Real-IP",
    "Forwarded",
    "Origin",
    "Referer",
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "Authorization",
    "Cookie",
    "X-CSRF-Token",
    "X-Requested-With",
    "User-Agent",
    "Range",
    "If-None-Match",
    "Expect",
    "X-Telegram-Bot-Api-Secret-Token",
)
CONTENT_TYPES = (
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/octet-stream",
    "text/html",
    "",
    "application/json, text/plain",
    "*/*",
)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "FOO")
ONE_MEGABYTE = 1024 * 1024


class Payloads:
    """Hostile values drawn from `rng`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # --- texts ---------------------------------------------------------------------

    def char(self) -> str:
        roll = self.rng.random()
        if roll < 0.5:
            return self.rng.choice(string.printable)
        if roll < 0.8:
            return chr(self.rng.randint(0x80, 0x2FFF))
        if roll < 0.95:
            return chr(self.rng.randint(0x1F300, 0x1FAFF))
        return chr(self.rng.randint(0, 0x10FFFF))

    def text(self, max_length: int = 60) -> str:
        """Short hostile text: random characters and tricky pieces, sometimes long."""
        roll = self.rng.random()
        if roll < 0.3:
            return self.rng.choice(TRICKY_TEXTS)
        if roll < 0.9:
            length = self.rng.randint(0, max_length)
            parts = [
                self.rng.choice(TRICKY_TEXTS) if self.rng.random() < 0.1 else self.char()
                for _ in range(length)
            ]
            return "".join(parts)
        return self.rng.choice(TRICKY_TEXTS[:20]) * self.rng.randint(50, 2_000)

    def huge_text(self) -> str:
        """At least a megabyte of text."""
        piece = self.rng.choice(["a", "é", "😀", "ik wil ", "0470 ", "\\", '"', " "])
        return piece * (ONE_MEGABYTE // len(piece.encode("utf-8")) + self.rng.randint(1, 4096))

    # --- JSON ----------------------------------------------------------------------

    def scalar(self) -> Any:
        return self.rng.choice(
            [
                None,
                True,
                False,
                0,
                -1,
                2**31,
                2**63,
                -(2**64),
                10**40,
                1.5,
                1e308,
                -0.0,
                self.text(),
                self.text(),
                self.text(),
            ]
        )

    def value(self, depth: int = 0) -> Any:
        """Any JSON value, nested a little."""
        roll = self.rng.random()
        if depth > 3 or roll < 0.6:
            return self.scalar()
        if roll < 0.8:
            return [self.value(depth + 1) for _ in range(self.rng.randint(0, 4))]
        return {self.text(12): self.value(depth + 1) for _ in range(self.rng.randint(0, 4))}

    def mutate(self, template: dict[str, Any]) -> dict[str, Any]:
        """A copy of `template` with some fields dropped, retyped, added or nested."""
        data = json.loads(json.dumps(template))
        for _ in range(self.rng.randint(1, 3)):
            self._mutate_once(data)
        return data

    def _mutate_once(self, data: dict[str, Any]) -> None:
        node: Any = data
        # Walk into a random nested object.
        while isinstance(node, dict) and node and self.rng.random() < 0.5:
            child = node[self.rng.choice(list(node))]
            if not isinstance(child, dict):
                break
            node = child
        if not isinstance(node, dict):
            return
        action = self.rng.random()
        keys = list(node)
        if keys and action < 0.25:
            del node[self.rng.choice(keys)]
        elif keys and action < 0.75:
            node[self.rng.choice(keys)] = self.value()
        elif action < 0.9:
            node[self.text(16)] = self.value()
        elif keys:
            node[self.rng.choice(keys)] = self.deep(self.rng.randint(50, 500))

    def deep(self, depth: int) -> Any:
        """A JSON value nested `depth` times (lists or objects)."""
        value: Any = self.scalar()
        for _ in range(depth):
            value = [value] if self.rng.random() < 0.5 else {"a": value}
        return value

    # --- bodies --------------------------------------------------------------------

    def deeply_nested_body(self, fields: dict[str, Any]) -> bytes:
        """`fields` as a JSON object with one more field nested 100 to 50,000 levels deep."""
        depth = self.rng.randint(100, 50_000)
        opening, closing = (b"[", b"]") if self.rng.random() < 0.5 else (b'{"a":', b"}")
        head = json.dumps(fields)[:-1].encode() + b', "nested": '
        return head + opening * depth + b"1" + closing * depth + b"}"

    def json_body(self, value: Any) -> bytes:
        """`value` as JSON; lone surrogates become \\ud800 escapes, as a client may send."""
        try:
            return json.dumps(value, ensure_ascii=self.rng.random() < 0.5).encode(
                "utf-8", "surrogatepass"
            )
        except (ValueError, RecursionError):
            return b"[" * 10_000

    def broken_json(self) -> bytes:
        return self.rng.choice(
            [
                b"",
                b"{",
                b"{not json",
                b'{"sender": "x", "message": "unterminated',
                b"[1, 2,]",
                b"{'single': 'quotes'}",
                b'{"a": NaN, "b": Infinity}',
                b'{"a": 1}{"b": 2}',
                b"\xff\xfe{\x00}\x00",
                b'{"a": "\\ud800"}',
                b'{"a": "\xc3\x28"}',
                b"[" * 100_000,
                b'{"a":' * 50_000,
                b"null",
                b"0",
                b'"text"',
                b"\x00" * 64,
            ]
        )

    def random_bytes(self, max_length: int = 2_048) -> bytes:
        return self.rng.randbytes(self.rng.randint(0, max_length))

    def form_body(self, fields: dict[str, Any]) -> bytes:
        parts = []
        for key, value in fields.items():
            text = value if isinstance(value, str) else json.dumps(value)
            parts.append(
                quote(str(key), safe="", errors="surrogatepass")
                + "="
                + quote(text, safe="", errors="surrogatepass")
            )
        return "&".join(parts).encode("ascii")

    def multipart_body(self, fields: dict[str, str], boundary: str = "xyz") -> bytes:
        chunks = []
        for key, value in fields.items():
            chunks.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
                f"{value}\r\n".encode("utf-8", "surrogatepass")
            )
        if self.rng.random() < 0.7:
            chunks.append(f"--{boundary}--\r\n".encode())
        return b"".join(chunks)

    # --- requests ------------------------------------------------------------------

    def method(self) -> str:
        return self.rng.choice(METHODS)

    def content_type(self) -> str:
        return self.rng.choice(CONTENT_TYPES)

    def query(self) -> str:
        if self.rng.random() < 0.6:
            return ""
        pairs = []
        for _ in range(self.rng.randint(1, 4)):
            key = self.rng.choice(["stream", "token", "q", "page", "id", "a[]", "", self.text(8)])
            value = self.rng.choice(["true", "1", "", "%00", "%ZZ", self.text(20)])
            pairs.append(
                quote(key, safe="[]%", errors="surrogatepass")
                + "="
                + quote(value, safe="%", errors="surrogatepass")
            )
        return "?" + "&".join(pairs)

    def path_segment(self) -> str:
        return self.rng.choice(
            [
                "..",
                "%2e%2e",
                "%2e%2e%2f",
                "..%5c",
                "%00",
                "%ff",
                "%",
                "a" * 3_000,
                "-1",
                "0",
                "99999999999999999999",
                "1e3",
                "0x10",
                "%20",
                quote(self.text(10), safe="", errors="surrogatepass"),
                "static",
                "webhook",
                "socket.io",
                "etc",
                "passwd",
            ]
        )

    def path(self, known: list[str]) -> str:
        """One of `known`, or a random path near them."""
        roll = self.rng.random()
        if roll < 0.5:
            return self.rng.choice(known)
        if roll < 0.8:
            base = self.rng.choice(known).rstrip("/")
            return base + "/" + "/".join(self.path_segment() for _ in range(self.rng.randint(1, 3)))
        return "/" + "/".join(self.path_segment() for _ in range(self.rng.randint(1, 4)))

    def header_value(self) -> str:
        """A header value HTTP/1.1 can carry (latin-1, no line breaks)."""
        roll = self.rng.random()
        if roll < 0.3:
            return self.rng.choice(
                ["", "*", "127.0.0.1", "8.8.8.8, 127.0.0.1", "bytes=0-", "null", "Bearer x"]
            )
        text = self.text(40) if roll < 0.9 else "x" * self.rng.randint(4_000, 20_000)
        return "".join(ch for ch in text if 0x20 <= ord(ch) < 0x7F or 0xA0 <= ord(ch) <= 0xFF)

    def extra_headers(self) -> list[tuple[str, str]]:
        count = self.rng.choice([0, 0, 1, 2, 3])
        return [(self.rng.choice(HEADER_NAMES), self.header_value()) for _ in range(count)]

"""The REST webhook of the Rasa server (POST /webhooks/rest/webhook), and the server's
other paths as a stranger finds them."""

from __future__ import annotations

import asyncio
import json
import uuid

from tests.fuzz.http_client import HttpCase, send
from tests.fuzz.http_target import HttpTarget
from tests.fuzz.payloads import Payloads

WEBHOOK = "/webhooks/rest/webhook"
# Paths of the Rasa server a stranger may try; the HTTP API ones need the token.
KNOWN_PATHS = [
    WEBHOOK,
    "/webhooks/rest/",
    "/",
    "/status",
    "/version",
    "/model/parse",
    "/conversations/rest:fuzz/tracker",
    "/conversations/rest:fuzz/messages",
    "/webhooks/webchat/",
    "/webhooks/webchat/widget.js",
    "/webhooks/webchat/texts/nl.json",
    "/webhooks/telegram/",
    "/socket.io/",
]
VALID = {"sender": "fuzz", "message": "hallo", "metadata": {"language": "nl"}}


class RestTarget(HttpTarget):
    name = "rest"

    def make(self, payloads: Payloads) -> tuple[str, HttpCase]:
        rng = payloads.rng
        headers = [("Content-Type", "application/json")]
        if rng.random() < 0.2:
            headers = [("Content-Type", payloads.content_type())]
        headers += payloads.extra_headers()
        roll = rng.random()
        sender = f"fuzz-{rng.randrange(10**9)}" if rng.random() < 0.7 else payloads.text(40)
        if roll < 0.35:
            kind = "message"
            body = {"sender": sender, "message": payloads.text(200)}
            if rng.random() < 0.3:
                body["metadata"] = payloads.value()
            raw = payloads.json_body(body)
        elif roll < 0.6:
            kind = "wrong fields"
            raw = payloads.json_body(payloads.mutate({**VALID, "sender": sender}))
        elif roll < 0.65:
            kind = "huge"
            raw = payloads.json_body({"sender": sender, "message": payloads.huge_text()})
        elif roll < 0.7:
            kind = "deep"
            raw = payloads.deeply_nested_body({"sender": f"fuzz-{rng.randrange(10**9)}"})
        elif roll < 0.8:
            kind = "broken json"
            raw = payloads.broken_json()
        elif roll < 0.85:
            kind = "bytes"
            raw = payloads.random_bytes()
        elif roll < 0.9:
            kind = "any json"
            raw = payloads.json_body(payloads.value())
        else:
            kind = "other path"
            method = payloads.method()
            body = payloads.json_body(payloads.value()) if rng.random() < 0.5 else b""
            target = payloads.path(KNOWN_PATHS) + payloads.query()
            return kind, HttpCase(method, target, headers, body)
        method = "POST" if rng.random() < 0.9 else payloads.method()
        return kind, HttpCase(method, WEBHOOK + payloads.query(), headers, raw)

    async def still_works(self) -> list[str]:
        problems = []
        health = await send(self.host, self.port, HttpCase("GET", "/webhooks/rest/"), 30)
        if health.status != 200:
            problems.append(f"GET /webhooks/rest/ answered {health.status or health.problem}")
        for attempt in range(3):
            body = json.dumps({"sender": f"fuzz-after-{uuid.uuid4().hex[:8]}", "message": "hallo"})
            answer = await send(
                self.host,
                self.port,
                HttpCase("POST", WEBHOOK, [("Content-Type", "application/json")], body.encode()),
                60,
            )
            replies = json.loads(answer.body) if answer.status == 200 else None
            if isinstance(replies, list) and any(r.get("text") for r in replies):
                return problems
            if attempt < 2:
                await asyncio.sleep(2)
        status = answer.status or answer.problem
        problems.append(f"a conversation no longer works: {status} {answer.text[:200]!r}")
        return problems

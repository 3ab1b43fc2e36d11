"""The Telegram webhook (POST /webhooks/telegram/webhook): updates as Telegram sends them,
broken in every way, with the right secret token most of the time (to get past the check)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from tests.fuzz.http_client import HttpCase, send
from tests.fuzz.http_target import HttpTarget
from tests.fuzz.payloads import Payloads
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.helpers import SECRET_HEADER

WEBHOOK = "/webhooks/telegram/webhook"
KNOWN_PATHS = [WEBHOOK, "/webhooks/telegram/", "/webhooks/telegram"]


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Fuzz", "language_code": "nl"}


def _message(chat_id: int, **content: Any) -> dict[str, Any]:
    return {
        "message_id": 1,
        "from": _user(chat_id),
        "chat": {"id": chat_id, "type": "private", "first_name": "Fuzz"},
        "date": int(time.time()),
        **content,
    }


def templates(chat_id: int, update_id: int) -> list[dict[str, Any]]:
    """Real shapes of updates: text, command, edit, button tap, voice, group, membership."""
    message = _message(chat_id, text="hallo")
    return [
        {"update_id": update_id, "message": message},
        {
            "update_id": update_id,
            "message": _message(
                chat_id,
                text="/start fr",
                entities=[{"type": "bot_command", "offset": 0, "length": 6}],
            ),
        },
        {"update_id": update_id, "edited_message": {**message, "edit_date": int(time.time())}},
        {
            "update_id": update_id,
            "callback_query": {
                "id": f"cbq-{update_id}",
                "from": _user(chat_id),
                "message": {**message, "from": {"id": 1, "is_bot": True, "first_name": "Bot"}},
                "chat_instance": "ci",
                "data": "/affirm",
            },
        },
        {
            "update_id": update_id,
            "message": _message(
                chat_id, voice={"file_id": "v", "file_unique_id": "v", "duration": 2}
            ),
        },
        {
            "update_id": update_id,
            "message": {
                **message,
                "chat": {"id": -chat_id, "type": "supergroup", "title": "Fuzz group"},
            },
        },
        {
            "update_id": update_id,
            "my_chat_member": {
                "chat": {"id": chat_id, "type": "private"},
                "from": _user(chat_id),
                "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": _user(1)},
                "new_chat_member": {"status": "kicked", "user": _user(1), "until_date": 0},
            },
        },
    ]


class TelegramTarget(HttpTarget):
    name = "telegram"

    def __init__(
        self, host: str, port: int, seed: int, bound: float, secret: str, api: FakeBotApi
    ) -> None:
        super().__init__(host, port, seed, bound)
        self.secret = secret
        self.api = api

    def make(self, payloads: Payloads) -> tuple[str, HttpCase]:
        rng = payloads.rng
        chat_id = rng.randint(1, 2**40)
        update_id = rng.randint(0, 2**31)
        secret_roll = rng.random()
        headers = [("Content-Type", "application/json")]
        if secret_roll < 0.85:
            headers.append((SECRET_HEADER, self.secret))
        elif secret_roll < 0.95:
            headers.append((SECRET_HEADER, payloads.header_value()))
        headers += payloads.extra_headers()
        roll = rng.random()
        if roll < 0.3:
            kind = "text update"
            update = templates(chat_id, update_id)[rng.choice([0, 1, 2])]
            part = update.get("message") or update["edited_message"]
            part["text"] = payloads.text(300)
            body = payloads.json_body(update)
        elif roll < 0.6:
            kind = "broken update"
            update = rng.choice(templates(chat_id, update_id))
            body = payloads.json_body(payloads.mutate(update))
        elif roll < 0.68:
            kind = "button tap"
            update = templates(chat_id, update_id)[3]
            update["callback_query"]["data"] = rng.choice(
                [payloads.text(80), "#" + payloads.text(22), "#never-issued"]
            )
            body = payloads.json_body(update)
        elif roll < 0.72:
            kind = "huge"
            update = templates(chat_id, update_id)[0]
            update["message"]["text"] = payloads.huge_text()
            body = payloads.json_body(update)
        elif roll < 0.76:
            kind = "deep"
            body = payloads.deeply_nested_body({"update_id": update_id})
        elif roll < 0.84:
            kind = "broken json"
            body = payloads.broken_json()
        elif roll < 0.88:
            kind = "bytes"
            body = payloads.random_bytes()
        elif roll < 0.94:
            kind = "any json"
            body = payloads.json_body(payloads.value())
        else:
            kind = "other path"
            target = payloads.path(KNOWN_PATHS) + payloads.query()
            return kind, HttpCase(payloads.method(), target, headers, payloads.random_bytes(64))
        method = "POST" if rng.random() < 0.95 else payloads.method()
        return kind, HttpCase(method, WEBHOOK + payloads.query(), headers, body)

    async def still_works(self) -> list[str]:
        """A new chat says /start through the webhook and gets an answer from the bot."""
        chat_id = 777_000_000 + int(time.time()) % 1_000_000
        update = templates(chat_id, int(time.time()))[1]
        since = self.api.mark()
        request = HttpCase(
            "POST",
            WEBHOOK,
            [("Content-Type", "application/json"), (SECRET_HEADER, self.secret)],
            json.dumps(update).encode(),
        )
        answer = await send(self.host, self.port, request, 30)
        if answer.status != 200:
            return [f"a real update was answered {answer.status or answer.problem}"]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.api.recorded("sendMessage", chat_id=chat_id, since=since):
                return []
            await asyncio.sleep(0.2)
        return ["a real update got no message from the bot within 90 s"]

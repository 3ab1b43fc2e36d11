"""Telegram updates as Telegram sends them; a citizen who sends them to the webhook of the
running assistant; the channel alone in a Sanic server, as Rasa runs it."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from rasa.core.channels.channel import UserMessage

from channels.telegram import TelegramInput
from tests.support import api_call, serve_blueprint
from tests.telegram.fake_bot_api import Call, FakeBotApi

TOKEN = "7000000001:AAE-test_token-for_the_fake_bot_api"
SECRET = "test-webhook_secret-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_update_ids = itertools.count(100_000)
_chat_ids = itertools.count(900_000_001)


def new_chat_id() -> int:
    return next(_chat_ids)


def next_update_id() -> int:
    return next(_update_ids)


def user_json(user_id: int, language_code: str | None) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "Test", "last_name": "Citizen"}
    if language_code:
        user["language_code"] = language_code
    return user


def message_json(
    chat_id: int, message_id: int, language_code: str | None, **content: Any
) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "from": user_json(chat_id, language_code),
        "chat": {"id": chat_id, "type": "private", "first_name": "Test", "last_name": "Citizen"},
        "date": int(time.time()),
        **content,
    }


def private_update(chat_id: int, language_code: str | None, **content: Any) -> dict[str, Any]:
    """A new message in the private chat `chat_id`, with `content` (text, voice, ...)."""
    message = message_json(chat_id, next_update_id(), language_code, **content)
    return {"update_id": next_update_id(), "message": message}


def text_content(text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        length = len(text.split(maxsplit=1)[0])
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return content


VOICE = {
    "voice": {
        "file_id": "AwACAgQAAxkBAAIBVoice",
        "file_unique_id": "AgADVoice",
        "duration": 3,
        "mime_type": "audio/ogg",
        "file_size": 8123,
    }
}
PHOTO = {
    "photo": [
        {"file_id": "AgACPhotoS", "file_unique_id": "AQADS", "width": 90, "height": 67},
        {"file_id": "AgACPhotoM", "file_unique_id": "AQADM", "width": 800, "height": 600},
    ]
}
STICKER = {
    "sticker": {
        "file_id": "CAACSticker",
        "file_unique_id": "AgADSticker",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
}
DOCUMENT = {
    "document": {
        "file_id": "BQACDocument",
        "file_unique_id": "AgADDocument",
        "file_name": "cv.pdf",
        "mime_type": "application/pdf",
        "file_size": 48213,
    }
}


def location(latitude: float = 51.2194, longitude: float = 4.4025) -> dict[str, Any]:
    return {"location": {"latitude": latitude, "longitude": longitude}}


def post_webhook(
    url: str, body: bytes, secret: str | None = SECRET, timeout: float = 10
) -> tuple[int, dict[str, Any]]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@dataclass
class TelegramStack:
    """The assistant with the Telegram channel on, and the fake Bot API it talks to."""

    api: FakeBotApi
    rasa_url: str
    sandbox_db: str
    assistant_db: str
    logs: Path
    console_url: str = ""
    api_token: str = ""

    @property
    def webhook_url(self) -> str:
        return f"{self.rasa_url}/webhooks/telegram/webhook"


@dataclass
class Reply:
    """Every Bot API call the assistant made to one chat after one update."""

    calls: list[Call]

    @property
    def messages(self) -> list[Call]:
        return [c for c in self.calls if c.method == "sendMessage" and not c.error]

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.messages)

    @property
    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    def with_button(self, title: str) -> Call:
        for call in reversed(self.messages):
            if any(t == title for t, _ in call.buttons):
                return call
        raise AssertionError(f"no button {title!r} in {[c.buttons for c in self.messages]}")


@dataclass
class Citizen:
    """One person in a private chat with the bot, whose Telegram app is in `language_code`."""

    telegram: TelegramStack
    language_code: str | None = "nl"
    chat_id: int = field(default_factory=new_chat_id)
    transcript: list[str] = field(default_factory=list)
    _message_ids: Any = field(default_factory=lambda: itertools.count(1))

    @property
    def api(self) -> FakeBotApi:
        return self.telegram.api

    def update(self, **content: Any) -> dict[str, Any]:
        """A message update with `content` (text, voice, photo, ...)."""
        message = message_json(self.chat_id, next(self._message_ids), self.language_code, **content)
        return {"update_id": next_update_id(), "message": message}

    def edited(self, text: str) -> dict[str, Any]:
        message = message_json(self.chat_id, next(self._message_ids), self.language_code)
        message.update(text=text, edit_date=int(time.time()))
        return {"update_id": next_update_id(), "edited_message": message}

    def callback(self, call: Call, title: str, data: str | None = None) -> dict[str, Any]:
        """The update Telegram sends when the citizen taps `title` under `call`'s message."""
        data = data if data is not None else dict(call.buttons)[title]
        return {
            "update_id": next_update_id(),
            "callback_query": {
                "id": f"cbq-{self.chat_id}-{next_update_id()}",
                "from": user_json(self.chat_id, self.language_code),
                "message": call.result,
                "chat_instance": f"ci-{self.chat_id}",
                "data": data,
            },
        }

    def deliver(self, update: dict[str, Any], *expected: str, timeout: float = 90) -> Reply:
        """Post `update` to the webhook; wait until every `expected` text was sent."""
        since = self.api.mark()
        status, body = post_webhook(self.telegram.webhook_url, json.dumps(update).encode())
        assert (status, body) == (200, {"ok": True}), (status, body)
        return self.wait(since, *expected, timeout=timeout)

    def calls(self, since: int) -> list[Call]:
        """Calls about this chat: to it, or answering one of its button taps."""
        tap = f"cbq-{self.chat_id}-"
        return [
            c
            for c in self.api.recorded(since=since)
            if c.chat_id == self.chat_id or str(c.params.get("callback_query_id")).startswith(tap)
        ]

    def wait(self, since: int, *expected: str, timeout: float = 90, settle: float = 0.4) -> Reply:
        def sent() -> Reply | None:
            reply = Reply(self.calls(since))
            done = all(e in reply.text for e in expected) and reply.messages
            return reply if done else None

        try:
            self.api.wait_for(sent, timeout, what=f"{expected!r}")
        except AssertionError:
            got = Reply(self.calls(since))
            raise AssertionError(f"expected {expected!r}; got {got.text!r}") from None
        quiet_since = self.api.mark()
        while True:  # let the rest of this turn arrive
            time.sleep(settle)
            latest = self.api.mark()
            if latest == quiet_since:
                break
            quiet_since = latest
        reply = Reply(self.calls(since))
        self.transcript.append(reply.text)
        return reply

    def say(self, text: str, *expected: str) -> Reply:
        return self.deliver(self.update(**text_content(text)), *expected)

    def tap(self, reply: Reply, title: str, *expected: str) -> Reply:
        return self.deliver(self.callback(reply.with_button(title), title), *expected)

    def tracker(self) -> dict[str, Any]:
        path = f"/conversations/tg:{self.chat_id}/tracker"
        return api_call(self.telegram.rasa_url, self.telegram.api_token, path)


# --- the channel alone, in this process ---


@asynccontextmanager
async def served(
    channel: TelegramInput,
    received: list[UserMessage],
    on_new_message: Callable[[UserMessage], Awaitable[Any]] | None = None,
) -> AsyncIterator[str]:
    """The channel's blueprint in a real Sanic server, with its listeners, as Rasa runs it.

    What the channel hands to Rasa lands in `received`, unless `on_new_message` stands in
    for Rasa; yields the channel's base URL.
    """

    async def to_received(message: UserMessage) -> None:
        received.append(message)

    blueprint = channel.blueprint(on_new_message or to_received)
    async with serve_blueprint(blueprint, "/webhooks/telegram") as url:
        yield url


async def post(url: str, body: bytes, secret: str | None = SECRET) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as answer,
    ):
        return answer.status, await answer.json()


async def eventually(condition: Callable[[], Any], timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")

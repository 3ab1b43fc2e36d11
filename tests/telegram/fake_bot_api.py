"""A fake Telegram Bot API on 127.0.0.1 that records every call.

It runs in its own thread and event loop, so synchronous tests, async tests and the Rasa
server in another process can all use it. It checks what the real API checks where a
mistake would show: the token, HTML markup (parse_mode HTML), the 4096-character limit,
callback_data of at most 64 bytes, bot commands. getUpdates long-polls like Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7_000_000_001
BOT_USER = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Jobseeker assistant",
    "username": "jobseeker_assistant_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# Parameters sent as plain strings; every other one is JSON (python-telegram-bot's encoding).
STRING_PARAMETERS = {
    "text",
    "parse_mode",
    "action",
    "callback_query_id",
    "url",
    "secret_token",
    "language_code",
    "inline_message_id",
    "business_connection_id",
}
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_MARKUP = re.compile(
    r"<(?P<close>/?)(?P<tag>[a-z-]+)(?:\s[^<>]*)?>"
    r"|&(?P<entity>#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);"
    r"|(?P<bare>[<>&])"
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


class BadRequest(Exception):
    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.description = description
        self.code = code


def parse_html(text: str) -> str:
    """The text a citizen sees, or BadRequest like Telegram's "can't parse entities"."""
    plain: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _MARKUP.finditer(text):
        plain.append(text[position : match.start()])
        position = match.end()
        if match["bare"]:
            raise BadRequest(f"Bad Request: can't parse entities: unexpected {match['bare']!r}")
        if match["entity"]:
            plain.append(html.unescape(match.group(0)))
        elif match["tag"] not in ALLOWED_TAGS:
            raise BadRequest(f"Bad Request: can't parse entities: unsupported tag {match['tag']}")
        elif match["close"]:
            if not open_tags or open_tags.pop() != match["tag"]:
                raise BadRequest("Bad Request: can't parse entities: unmatched end tag")
        else:
            open_tags.append(match["tag"])
    if open_tags:
        raise BadRequest("Bad Request: can't parse entities: unclosed tag")
    plain.append(text[position:])
    return "".join(plain)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class Call:
    """One Bot API call as the fake received it."""

    seq: int
    method: str
    params: dict[str, Any]
    result: Any = None
    error: str | None = None
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str:
        """The plain text of a sendMessage (entities decoded), else ''."""
        if self.method != "sendMessage" or self.error:
            return ""
        raw = str(self.params.get("text", ""))
        return parse_html(raw) if self.params.get("parse_mode") == "HTML" else raw

    @property
    def keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup") or {}
        return markup.get("inline_keyboard") or []

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(title, callback_data) of every inline button, top to bottom."""
        return [(b["text"], b.get("callback_data", "")) for row in self.keyboard for b in row]


class FakeBotApi:
    """The Bot API for one token; `base_url` is what TELEGRAM_API_BASE_URL should be."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._message_ids = itertools.count(10_000)
        self._messages: dict[tuple[Any, int], dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[tuple[int, str]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- running ---

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> FakeBotApi:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API did not start")
        return self

    def _serve(self, ready: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._open())
        ready.set()
        self._loop.run_forever()
        pending = asyncio.all_tasks(self._loop)
        for task in pending:
            task.cancel()
        self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    async def _open(self) -> None:
        self._new_update = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    # --- what tests use ---

    def mark(self) -> int:
        """The sequence number of the last call so far: later calls are greater."""
        with self._lock:
            return self.calls[-1].seq if self.calls else 0

    def recorded(
        self, method: str | None = None, chat_id: Any = None, since: int = 0
    ) -> list[Call]:
        with self._lock:
            calls = list(self.calls)
        return [
            c
            for c in calls
            if c.seq > since
            and (method is None or c.method == method)
            and (chat_id is None or c.chat_id == chat_id)
        ]

    def wait_for(
        self, condition: Callable[[], Any], timeout: float = 60, what: str = "a condition"
    ) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")

    def fail_next(
        self, method: str, times: int = 1, code: int = 502, description: str = "Bad Gateway"
    ) -> None:
        """The next `times` calls of `method` fail with `code` (a Telegram outage)."""
        with self._lock:
            self._failures.setdefault(method, []).extend([(code, description)] * times)

    def queue_update(self, update: dict[str, Any]) -> None:
        """Make `update` available to getUpdates (polling mode)."""
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(self._queue(update), self._loop).result(5)

    async def _queue(self, update: dict[str, Any]) -> None:
        assert self._new_update is not None
        async with self._new_update:
            self._updates.append(update)
            self._new_update.notify_all()

    # --- the API ---

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await _parameters(request)
        call = self._record(method, params)
        failure = self._next_failure(method)
        if failure is not None:
            call.error = failure[1]
            return _error(*failure)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            call.error = "method not found"
            return _error(404, "Not Found: method not found")
        try:
            result = handler(params) if method != "getUpdates" else await handler(params)
        except BadRequest as error:
            call.error = error.description
            return _error(error.code, error.description)
        call.result = result
        return web.json_response({"ok": True, "result": result})

    def _record(self, method: str, params: dict[str, Any]) -> Call:
        with self._lock:
            call = Call(next(self._seq), method, params)
            self.calls.append(call)
        return call

    def _next_failure(self, method: str) -> tuple[int, str] | None:
        with self._lock:
            waiting = self._failures.get(method)
            return waiting.pop(0) if waiting else None

    def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if "chat_id" not in params:
            raise BadRequest("Bad Request: chat_id is empty")
        raw = str(params.get("text") or "")
        plain = parse_html(raw) if params.get("parse_mode") == "HTML" else raw
        if not plain.strip():
            raise BadRequest("Bad Request: message text is empty")
        if utf16_length(plain) > 4096:
            raise BadRequest("Bad Request: message is too long")
        markup = params.get("reply_markup")
        _check_keyboard(markup)
        message = {
            "message_id": next(self._message_ids),
            "from": BOT_USER,
            "chat": {"id": params["chat_id"], "type": "private"},
            "date": int(time.time()),
            "text": plain,
        }
        if markup:
            message["reply_markup"] = markup
        self._messages[(params["chat_id"], message["message_id"])] = message
        return message

    def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        if "chat_id" not in params or params.get("action") != "typing":
            raise BadRequest("Bad Request: wrong parameter action in request")
        return True

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise BadRequest("Bad Request: query is too old and response timeout expired")
        return True

    def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._messages.get((params.get("chat_id"), params.get("message_id")))
        if message is None:
            raise BadRequest("Bad Request: message to edit not found")
        _check_keyboard(params.get("reply_markup"))
        if not params.get("reply_markup") and "reply_markup" not in message:
            raise BadRequest("Bad Request: message is not modified")
        message.pop("reply_markup", None)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or not commands:
            raise BadRequest("Bad Request: commands are empty")
        for command in commands:
            if not _COMMAND.match(command.get("command", "")):
                raise BadRequest("Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise BadRequest("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        if not str(params.get("url", "")).startswith("https://"):
            raise BadRequest("Bad Request: bad webhook: An HTTPS URL must be provided")
        return True

    def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        assert self._new_update is not None
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        async with self._new_update:
            # As Telegram does: an offset confirms every update before it.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), timeout)
            return [u for u in self._updates if u["update_id"] >= offset]


def _check_keyboard(markup: Any) -> None:
    if not markup:
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                raise BadRequest("Bad Request: BUTTON_DATA_INVALID")
            if not button.get("text"):
                raise BadRequest("Bad Request: text buttons are unallowed in the inline keyboard")


async def _parameters(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        raw = await request.json()
    else:
        raw = dict(await request.post())
    raw = {**request.query, **raw}
    return {key: _decode(key, value) for key, value in raw.items()}


def _decode(key: str, value: Any) -> Any:
    if key in STRING_PARAMETERS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _error(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )

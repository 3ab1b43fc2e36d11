"""The channel's pieces in this process, against the fake Bot API (no Rasa server needed).

The real python-telegram-bot client talks HTTP to the fake, which rejects what Telegram
rejects: broken HTML, messages over 4096 characters, callback_data over 64 bytes.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from telegram import Bot

from bot.i18n.buttons import RESPONSE_BUTTONS
from channels.telegram import TelegramInput
from channels.telegram_config import TelegramConfig
from channels.telegram_output import (
    MAX_MESSAGE_LENGTH,
    CallbackPayloads,
    TelegramOutput,
    assistant_payloads,
    escape,
    split_text,
    telegram_length,
)
from channels.telegram_runtime import secret_matches
from channels.telegram_updates import Command, parse_command
from tests.support import free_port
from tests.telegram.fake_bot_api import FakeBotApi, parse_html
from tests.telegram.helpers import SECRET, SECRET_HEADER, TOKEN, new_chat_id, text_content

pytestmark = pytest.mark.integration
PUBLIC_URL = "https://assistant.example.be"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    fake = FakeBotApi(TOKEN).start()
    yield fake
    fake.stop()


@asynccontextmanager
async def telegram_bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        yield bot


@asynccontextmanager
async def served(channel: TelegramInput, received: list[UserMessage]) -> AsyncIterator[str]:
    """The channel's blueprint in a real Sanic server, with its listeners, as Rasa runs it."""

    async def on_new_message(message: UserMessage) -> None:
        received.append(message)

    Sanic.test_mode = True
    app = Sanic(f"telegram_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(on_new_message), url_prefix="/webhooks/telegram")
    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}/webhooks/telegram"
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()


async def post(url: str, body: bytes, secret: str | None = SECRET) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as answer,
    ):
        return answer.status, await answer.json()


async def eventually(condition, timeout: float = 10) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


# --- sending ---


async def test_every_text_is_escaped_so_citizen_text_never_breaks_a_message(api):
    chat = new_chat_id()
    hostile = "<b>Jan</b> & <script>alert('x')</script> 5 > 3 &amp; <a href='x'>"
    async with telegram_bot(api) as bot:
        await TelegramOutput(bot, CallbackPayloads()).send(chat, hostile)
    [call] = api.recorded("sendMessage", chat_id=chat)
    assert call.error is None
    assert call.params["parse_mode"] == "HTML"
    assert call.params["text"] == escape(hostile)
    assert "<" not in call.params["text"] and ">" not in call.params["text"]
    assert call.text == hostile  # what the citizen sees is exactly the text


async def test_a_long_text_is_split_at_paragraphs_with_the_buttons_on_the_last_part(api):
    chat = new_chat_id()
    paragraphs = [f"Paragraaf {n}. " + "Een zin met wat woorden & tekens. " * 55 for n in range(5)]
    text = "\n\n".join(paragraphs)
    assert len(text) > 2 * MAX_MESSAGE_LENGTH
    buttons = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nee", "payload": "/deny"}]
    async with telegram_bot(api) as bot:
        await TelegramOutput(bot, CallbackPayloads()).send_text_with_buttons(
            str(chat), text, buttons
        )
    calls = api.recorded("sendMessage", chat_id=chat)
    assert len(calls) >= 3 and all(c.error is None for c in calls)
    assert all(telegram_length(c.params["text"]) <= MAX_MESSAGE_LENGTH for c in calls)
    # Cut between paragraphs only: every message is whole paragraphs.
    assert [p.strip() for c in calls for p in c.text.split("\n\n")] == [
        p.strip() for p in paragraphs
    ]
    assert [c.keyboard for c in calls[:-1]] == [[]] * (len(calls) - 1)
    assert calls[-1].buttons == [("Ja", "/affirm"), ("Nee", "/deny")]


def test_one_very_long_sentence_is_cut_between_words_and_nothing_is_lost():
    text = " ".join(f"woord{n}" for n in range(2000)) + ". Tweede zin."
    parts = split_text(text, limit=1000)
    assert all(telegram_length(escape(p)) <= 1000 for p in parts)
    assert " ".join(parts).split() == text.split()
    assert split_text("x" * 2500, limit=1000) == ["x" * 1000, "x" * 1000, "x" * 500]
    emoji = split_text("😀" * 600, limit=1000)  # an emoji counts twice for Telegram
    assert [telegram_length(p) for p in emoji] == [1000, 200]


async def test_buttons_are_one_per_row_and_long_payloads_get_a_short_id(api):
    chat = new_chat_id()
    long_payload = '/inform{"occupation": "' + "medewerker in de logistiek " * 4 + '"}'
    assert len(long_payload.encode()) > 64
    payloads = CallbackPayloads(capacity=8)
    buttons = [
        {"title": "Nederlands", "payload": '/switch_language{"language": "nl"}'},
        {"title": "Logistiek", "payload": long_payload},
    ]
    async with telegram_bot(api) as bot:
        await TelegramOutput(bot, payloads).send(chat, "Kies.", buttons)
    [call] = api.recorded("sendMessage", chat_id=chat)
    assert call.error is None  # the fake refuses callback_data over 64 bytes
    assert [len(row) for row in call.keyboard] == [1, 1]
    (_, short), (_, hashed) = call.buttons
    assert short == '/switch_language{"language": "nl"}'
    assert len(hashed.encode()) <= 64 and hashed.startswith(CallbackPayloads.PREFIX)
    assert payloads.decode(hashed) == long_payload
    assert payloads.encode(long_payload) == hashed  # deterministic


def test_unknown_ids_decode_to_none_and_the_assistants_own_payloads_survive_a_restart():
    payloads = CallbackPayloads(capacity=2)
    first = payloads.encode("/x" + "a" * 80)
    for n in range(3):
        payloads.encode(f"/y{n}" + "b" * 80)
    assert payloads.decode(first) is None  # pushed out of the LRU
    assert payloads.decode("#never-issued") is None
    assert payloads.decode("/affirm") == "/affirm"
    restarted = CallbackPayloads(pinned=assistant_payloads())
    for buttons in RESPONSE_BUTTONS.values():
        for payload, _ in buttons:
            assert restarted.decode(restarted.encode(payload)) == payload


# --- small pieces ---


def test_commands_are_recognised_with_a_bot_name_and_a_deep_link():
    assert parse_command("/start") == Command("start")
    assert parse_command("/start fr") == Command("start", "fr")
    assert parse_command("/START@jobseeker_bot nl") == Command("start", "nl")
    assert parse_command("/human") == Command("human")
    assert parse_command('/switch_language{"language": "fr"}') is None  # a Rasa payload
    assert parse_command("/") is None
    assert parse_command("start") is None


def test_secret_comparison():
    assert secret_matches(SECRET, SECRET)
    assert not secret_matches(SECRET, SECRET + "x")
    assert not secret_matches(SECRET, "")
    assert not secret_matches(SECRET, None)
    assert not secret_matches(None, "anything")


def test_configuration_comes_from_the_environment_and_credentials_override_it():
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_PUBLIC_URL": PUBLIC_URL + "/",
    }
    config = TelegramConfig.load(None, environ)
    assert config.mode == "webhook"
    assert config.webhook_url == PUBLIC_URL + "/webhooks/telegram/webhook"
    assert config.api_base_url == "https://api.telegram.org/bot"
    assert TOKEN not in repr(config) and SECRET not in repr(config)
    polling = TelegramConfig.load(
        {"public_url": "", "poll_timeout": 5}, {"TELEGRAM_BOT_TOKEN": "1"}
    )
    assert (polling.mode, polling.poll_timeout) == ("polling", 5)
    overridden = TelegramConfig.load({"api_base_url": "http://127.0.0.1:1/bot"}, environ)
    assert overridden.api_base_url == "http://127.0.0.1:1/bot"
    assert TelegramConfig.load(None, {}).mode == "off"
    assert not TelegramConfig.load(None, {"TELEGRAM_WEBHOOK_SECRET": "bad secret!"}).secret_is_valid


# --- the channel in a Sanic server ---


async def test_webhook_mode_sets_the_webhook_with_the_secret_when_the_server_starts(api):
    config = TelegramConfig(
        bot_token=TOKEN, webhook_secret=SECRET, public_url=PUBLIC_URL, api_base_url=api.base_url
    )
    channel = TelegramInput(config)
    received: list[UserMessage] = []
    async with served(channel, received) as base:
        await eventually(lambda: api.recorded("setWebhook"))
        chat = new_chat_id()
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": chat, "type": "private"},
                "from": {"id": chat, "is_bot": False, "first_name": "A", "language_code": "fr"},
                **text_content("bonjour"),
            },
        }
        assert await post(f"{base}/webhook", json.dumps(update).encode()) == (200, {"ok": True})
        # The same update delivered twice is handled once.
        assert await post(f"{base}/webhook", json.dumps(update).encode()) == (200, {"ok": True})
        await eventually(lambda: received)
        await asyncio.sleep(0.3)
    [webhook] = api.recorded("setWebhook")
    assert webhook.params == {
        "url": PUBLIC_URL + "/webhooks/telegram/webhook",
        "secret_token": SECRET,
        "allowed_updates": ["message", "edited_message", "callback_query"],
    }
    assert not api.recorded("getUpdates") and not api.recorded("deleteWebhook")
    assert api.recorded("getMe")[0].seq < webhook.seq
    assert len(api.recorded("setMyCommands")) == 4
    [message] = received
    assert (message.text, message.sender_id, message.input_channel) == (
        "bonjour",
        str(chat),
        "telegram",
    )
    assert message.metadata == {"channel": "telegram", "language": "fr"}
    assert isinstance(message.output_channel, TelegramOutput)
    assert api.recorded("sendChatAction", chat_id=chat)[0].params["action"] == "typing"


async def test_without_a_token_the_webhook_answers_503_and_nothing_starts(api):
    channel = TelegramInput(TelegramConfig(api_base_url=api.base_url))
    received: list[UserMessage] = []
    async with served(channel, received) as base:
        update = json.dumps({"update_id": 1, "message": {}}).encode()
        status, body = await post(f"{base}/webhook", update)
        await asyncio.sleep(0.5)
    assert status == 503 and body["ok"] is False
    assert channel.runtime is None and channel.get_output_channel() is None
    assert api.recorded() == [] and received == []


def test_the_fake_refuses_broken_html_like_telegram():
    with pytest.raises(Exception, match="can't parse entities"):
        parse_html("<b>Jan")
    with pytest.raises(Exception, match="can't parse entities"):
        parse_html("5 < 6")
    assert parse_html("<b>Jan</b> &amp; &lt;Piet&gt;") == "Jan & <Piet>"

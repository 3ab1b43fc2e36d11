"""Sending with the real python-telegram-bot client to the fake Bot API, which rejects what
Telegram rejects: broken HTML, messages over 4096 characters, callback_data over 64 bytes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import Bot

from channels.telegram.callback_payloads import CallbackPayloads
from channels.telegram.message_split import MAX_MESSAGE_LENGTH, escape, telegram_length
from channels.telegram.output import TelegramOutput
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.helpers import TOKEN, new_chat_id

pytestmark = pytest.mark.integration


@asynccontextmanager
async def telegram_bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        yield bot


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
            f"tg:{chat}", text, buttons
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


async def test_a_failed_typing_indicator_is_not_an_error(api):
    chat = new_chat_id()
    api.fail_next("sendChatAction", code=400, description="Bad Request: chat not found")
    async with telegram_bot(api) as bot:
        await TelegramOutput(bot, CallbackPayloads()).typing(chat)
    [call] = api.recorded("sendChatAction", chat_id=chat)
    assert call.error == "Bad Request: chat not found"

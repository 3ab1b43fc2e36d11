"""The channel alone in a Sanic server, as Rasa runs it, against the fake Bot API (no Rasa
server needed): start-up in each mode, the webhook, polling, and which handler gets what."""

from __future__ import annotations

import json
import logging

import pytest
from rasa.core.channels.channel import UserMessage
from telegram import Update
from telegram.ext import Application, CommandHandler

from channels.telegram import TelegramInput
from channels.telegram.config import TelegramConfig
from channels.telegram.output import TelegramOutput
from channels.telegram.texts import channel_text
from tests.telegram.fake_bot_api import BOT_USER, FakeBotApi
from tests.telegram.helpers import (
    DOCUMENT,
    PHOTO,
    SECRET,
    STICKER,
    TOKEN,
    VOICE,
    eventually,
    location,
    message_json,
    new_chat_id,
    next_update_id,
    post,
    private_update,
    served,
    text_content,
)

pytestmark = pytest.mark.integration
PUBLIC_URL = "https://assistant.example.be"


def webhook_config(api: FakeBotApi) -> TelegramConfig:
    return TelegramConfig(
        bot_token=TOKEN, webhook_secret=SECRET, public_url=PUBLIC_URL, api_base_url=api.base_url
    )


def handled_by(application: Application, update: dict) -> str | None:
    """Which of the channel's handlers takes `update`: `/command args` or a callback's name."""
    parsed = Update.de_json(update, application.bot)
    for handler in application.handlers[0]:
        check = handler.check_update(parsed)
        if check is None or check is False:
            continue
        if isinstance(handler, CommandHandler):
            args = " ".join(check[0])
            return f"/{next(iter(handler.commands))} {args}".strip()
        return handler.callback.__name__
    return None


async def test_webhook_mode_sets_the_webhook_with_the_secret_when_the_server_starts(api):
    channel = TelegramInput(webhook_config(api))
    assert channel.application is not None and channel.application.updater is None
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
        await eventually(lambda: channel.application.update_queue.empty())
        await eventually(lambda: api.recorded("sendChatAction", chat_id=chat))
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
        f"tg:{chat}",
        "telegram",
    )
    assert message.metadata == {"channel": "telegram", "language": "fr"}
    assert isinstance(message.output_channel, TelegramOutput)
    assert api.recorded("sendChatAction", chat_id=chat)[0].params["action"] == "typing"
    assert not channel.application.running  # stopped with the server


async def test_without_a_token_the_webhook_answers_503_and_nothing_starts(api):
    channel = TelegramInput(TelegramConfig(api_base_url=api.base_url))
    received: list[UserMessage] = []
    async with served(channel, received) as base:
        update = json.dumps({"update_id": 1, "message": {}}).encode()
        status, body = await post(f"{base}/webhook", update)
    assert status == 503 and body["ok"] is False
    assert channel.application is None and channel.get_output_channel() is None
    assert api.recorded() == [] and received == []


async def test_polling_waits_longer_after_each_error_then_delivers_and_stops_with_the_server(api):
    api.fail_next("getUpdates", times=2)
    config = TelegramConfig(bot_token=TOKEN, api_base_url=api.base_url, poll_timeout=1)
    channel = TelegramInput(config)
    application = channel.application
    assert application is not None and application.updater is not None
    chat = new_chat_id()
    api.queue_update(private_update(chat, "nl", **text_content("hallo")))
    received: list[UserMessage] = []
    async with served(channel, received):
        await eventually(lambda: received, timeout=20)
        assert application.running and application.updater.running
    assert not application.running and not application.updater.running
    [message] = received
    assert (message.text, message.sender_id) == ("hallo", f"tg:{chat}")
    assert message.metadata == {"channel": "telegram", "language": "nl"}
    polls = api.recorded("getUpdates")
    [delete] = api.recorded("deleteWebhook")
    assert delete.seq < polls[0].seq
    assert [bool(c.error) for c in polls[:3]] == [True, True, False]
    assert polls[0].params["timeout"] == 1  # TELEGRAM_POLL_TIMEOUT
    assert polls[1].at - polls[0].at >= 0.9  # one second after the first error
    assert polls[2].at - polls[1].at >= 1.4  # longer after the second
    assert all(
        c.params["allowed_updates"] == ["message", "edited_message", "callback_query"]
        for c in polls
    )
    assert not api.recorded("setWebhook")


async def test_a_failing_update_gets_an_apology_and_the_log_holds_no_content(api, caplog):
    async def rasa_is_down(_message: UserMessage) -> None:
        raise RuntimeError("Rasa is down")

    channel = TelegramInput(webhook_config(api))
    chat = new_chat_id()
    with caplog.at_level(logging.INFO):
        async with served(channel, [], on_new_message=rasa_is_down) as base:
            await eventually(lambda: api.recorded("setWebhook"))
            update = private_update(chat, "fr", **text_content("mon numéro est 85.07.30"))
            assert await post(f"{base}/webhook", json.dumps(update).encode()) == (
                200,
                {"ok": True},
            )
            await eventually(lambda: api.recorded("sendMessage", chat_id=chat))
    [apology] = api.recorded("sendMessage", chat_id=chat)
    assert apology.text == channel_text("telegram_something_went_wrong", "fr")
    assert "RuntimeError" in caplog.text and "(text)" in caplog.text
    assert "85.07.30" not in caplog.text and TOKEN not in caplog.text


async def test_commands_are_recognised_with_the_bots_name_and_a_deep_link(api):
    application = TelegramInput(webhook_config(api)).application
    assert application is not None
    await application.initialize()  # getMe: commands may carry the bot's name
    try:
        chat = new_chat_id()

        def route(text: str) -> str | None:
            return handled_by(application, private_update(chat, "nl", **text_content(text)))

        assert route("/start") == "/start"
        assert route("/start fr") == "/start fr"
        assert route(f"/START@{BOT_USER['username']} nl") == "/start nl"
        assert route("/human") == "/human"
        assert route("/language") == "/language"
        assert route("/help") == "/help" and route("/stop") == "/stop"
        # Anything else goes to Rasa as text, exactly as over REST.
        assert route('/switch_language{"language": "fr"}') == "forward_text"
        assert route("/start@some_other_bot") == "forward_text"
        assert route("start") == "forward_text"
        assert route("/") == "forward_text"
        # Groups and channels are ignored.
        group = private_update(chat, "nl", **text_content("/start"))
        group["message"]["chat"] = {"id": -100, "type": "group", "title": "Buren"}
        assert handled_by(application, group) is None
    finally:
        await application.shutdown()


async def test_each_kind_of_message_has_its_handler(api):
    application = TelegramInput(webhook_config(api)).application
    assert application is not None
    chat = new_chat_id()

    def route(**content) -> str | None:
        return handled_by(application, private_update(chat, "nl", **content))

    assert route(**text_content("hallo")) == "forward_text"
    assert route(**VOICE) == "voice_not_supported"
    video_note = {"video_note": {"file_id": "v", "file_unique_id": "v", "length": 1, "duration": 2}}
    assert route(**video_note) == "voice_not_supported"
    assert route(**location()) == "location_not_read"
    venue = {"title": "VDAB", "address": "Keizerslaan 11", **location()}
    assert route(venue=venue, **location()) == "location_not_read"
    for content in (PHOTO, STICKER, DOCUMENT, {**PHOTO, "caption": "mijn cv"}):
        assert route(**content) == "only_text"
    contact = {"contact": {"phone_number": "+32471234567", "first_name": "Jan"}}
    assert route(**contact) == "only_text"
    assert route(new_chat_title="Nieuw") is None  # a service message
    edited = message_json(chat, 1, "nl", text="hallo", edit_date=1_700_000_000)
    assert handled_by(application, {"update_id": next_update_id(), "edited_message": edited}) == (
        "edit_not_read"
    )
    tap = {
        "update_id": next_update_id(),
        "callback_query": {
            "id": "q1",
            "from": {"id": chat, "is_bot": False, "first_name": "A"},
            "chat_instance": "ci",
            "data": "/affirm",
        },
    }
    assert handled_by(application, tap) == "on_button_tap"


async def test_a_chat_over_the_rate_limit_is_asked_to_wait_and_others_go_on(api, monkeypatch):
    import channels.rate_limit

    limiter = channels.rate_limit.ConversationRateLimiter(per_minute=1, burst=2)
    monkeypatch.setattr(channels.rate_limit, "_limiter", limiter)
    channel = TelegramInput(webhook_config(api))
    received: list[UserMessage] = []
    fast, calm = new_chat_id(), new_chat_id()
    async with served(channel, received) as base:
        await eventually(lambda: api.recorded("setWebhook"))
        for text in ("een", "twee", "drie"):
            update = private_update(fast, "nl", **text_content(text))
            assert await post(f"{base}/webhook", json.dumps(update).encode()) == (200, {"ok": True})
        update = private_update(calm, "nl", **text_content("hallo"))
        await post(f"{base}/webhook", json.dumps(update).encode())
        await eventually(lambda: len(received) == 3)
        await eventually(lambda: api.recorded("sendMessage", chat_id=fast))
    assert [m.text for m in received if m.sender_id == f"tg:{fast}"] == ["een", "twee"]
    assert [m.sender_id for m in received if m.text == "hallo"] == [f"tg:{calm}"]
    [wait] = api.recorded("sendMessage", chat_id=fast)
    assert wait.params["text"] == channel_text("utter_slow_down", "nl")

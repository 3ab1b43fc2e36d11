"""The REST channel: its own conversations, closed to strangers, refuses bad bodies."""

from __future__ import annotations

import dataclasses

import aiohttp
import pytest
from rasa.core.channels.channel import UserMessage

from bot.settings import load_settings
from channels.rate_limit import ConversationRateLimiter
from channels.rest.channel import RestInput
from tests.support import serve_blueprint, t


class Recorder:
    """Stands in for Rasa's message handler: records what would reach Rasa, answers."""

    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "ok")


def channel(limiter=None, **settings) -> RestInput:
    return RestInput(dataclasses.replace(load_settings(), **settings), limiter)


async def post(channel_: RestInput, body, headers=None, raw: bytes | None = None):
    recorder = Recorder()
    kwargs = {"data": raw} if raw is not None else {"json": body}
    async with (
        serve_blueprint(channel_.blueprint(recorder), "/webhooks/rest") as url,
        aiohttp.ClientSession() as session,
        session.post(f"{url}/webhook", headers=headers or {}, **kwargs) as answer,
    ):
        return answer.status, await answer.json(), recorder.messages


async def test_a_sender_talks_in_its_own_rest_conversation():
    status, replies, messages = await post(channel(), {"sender": "abc", "message": "hallo"})
    assert status == 200
    assert [m.sender_id for m in messages] == ["rest:abc"]
    assert messages[0].input_channel == "rest"
    assert replies == [{"recipient_id": "rest:abc", "text": "ok"}]


@pytest.mark.parametrize("sender", ["web:0123abcd", "tg:123456789", "123456789", "rest:abc"])
async def test_no_sender_reaches_another_channels_conversation(sender):
    _, _, messages = await post(channel(), {"sender": sender, "message": "herhaal"})
    assert messages[0].sender_id == f"rest:{sender}"


async def test_the_channel_is_off_when_configured_so():
    status, _, messages = await post(channel(rest_channel="off"), {"sender": "a", "message": "x"})
    assert status == 404 and messages == []


async def test_production_requires_the_token_even_on_loopback(monkeypatch):
    monkeypatch.setenv("REST_CHANNEL_TOKEN", "rest-token")
    production = channel(environment="production", rest_channel="on")
    body = {"sender": "a", "message": "x"}
    status, _, messages = await post(production, body)
    assert status == 401 and messages == []
    status, _, messages = await post(production, body, {"Authorization": "Bearer wrong"})
    assert status == 401 and messages == []
    status, _, messages = await post(production, body, {"Authorization": "Bearer rest-token"})
    assert status == 200 and len(messages) == 1


async def test_a_request_through_a_proxy_is_not_local(monkeypatch):
    monkeypatch.delenv("REST_CHANNEL_TOKEN", raising=False)
    body = {"sender": "a", "message": "x"}
    status, _, messages = await post(channel(), body, {"X-Forwarded-For": "203.0.113.9"})
    assert status == 401 and messages == []


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"message": "no sender"},
        {"sender": "", "message": "x"},
        {"sender": 12, "message": "x"},
        {"sender": "a" * 129, "message": "x"},
        {"sender": "a\nb", "message": "x"},
        {"sender": "a", "message": None},
        {"sender": "a", "message": "x" * 5001},
        {"sender": "a", "message": "x", "metadata": [1]},
    ],
)
async def test_bad_bodies_get_a_plain_400(body):
    status, answer, messages = await post(channel(), body)
    assert status == 400 and messages == []
    assert set(answer) == {"error"}


async def test_malformed_json_gets_a_plain_400():
    status, answer, messages = await post(channel(), None, raw=b"{not json")
    assert status == 400 and messages == [] and set(answer) == {"error"}


async def test_a_sender_over_the_rate_limit_is_asked_to_wait():
    limiter = ConversationRateLimiter(per_minute=1, burst=2, clock=lambda: 0.0)
    rest = channel(limiter)
    for _ in range(2):
        status, _, _ = await post(rest, {"sender": "fast", "message": "x"})
        assert status == 200
    status, replies, messages = await post(
        rest, {"sender": "fast", "message": "x", "metadata": {"language": "fr"}}
    )
    assert status == 429 and messages == []
    assert replies[0]["text"] == t("utter_slow_down", "fr")
    status, _, _ = await post(rest, {"sender": "someone-else", "message": "x"})
    assert status == 200

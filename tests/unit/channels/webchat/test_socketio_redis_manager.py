"""Two Rasa servers' socket.io channels sharing `AsyncRedisManager` on the real Redis: what
one server emits to a conversation reaches the widget connected to the other.

This is the path of a counsellor's message: the console calls Rasa's API through the
load balancer, which may land on a server the citizen's socket is not connected to.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import redis
import socketio
from rasa.core.channels.channel import UserMessage

from bot.settings import load_settings
from channels.redis_client import RedisNotConfigured
from channels.webchat import WebchatSocketIO
from channels.webchat.session_token import SessionSigner, conversation_id
from channels.webchat.socketio_channel import client_manager
from tests.support import serve_blueprint
from tests.unit.channels.redis_support import TEST_REDIS_URL, redis_prefix
from tests.unit.channels.webchat.widget_socket import WidgetSocket

__all__ = ["redis_prefix"]  # fixture

SIGNER = SessionSigner(b"the secret every server of the deployment shares")


@asynccontextmanager
async def server(channel_name: str) -> AsyncIterator[tuple[str, WebchatSocketIO]]:
    manager = socketio.AsyncRedisManager(TEST_REDIS_URL, channel=channel_name)
    channel = WebchatSocketIO(signer=SIGNER, allowed_origins=(), manager=manager)

    async def on_new_message(message: UserMessage) -> None:
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")

    async with serve_blueprint(channel.blueprint(on_new_message), "/webhooks/socketio") as url:
        try:
            yield url.removesuffix("/webhooks/socketio"), channel
        finally:
            listener = getattr(manager, "thread", None)
            if listener is not None:
                listener.cancel()
                with contextlib.suppress(BaseException):
                    await listener
            if manager.redis is not None:
                await manager.redis.close()


async def subscribers(channel_name: str, at_least: int) -> None:
    """Wait until `at_least` servers listen on the pub/sub channel (each server starts
    listening when its first socket connects)."""
    client = redis.Redis.from_url(TEST_REDIS_URL)
    deadline = time.monotonic() + 10
    try:
        while dict(client.pubsub_numsub(channel_name)).get(channel_name.encode(), 0) < at_least:
            assert time.monotonic() < deadline, "the servers never subscribed"
            await asyncio.sleep(0.05)
    finally:
        client.close()


async def test_an_emit_on_one_server_reaches_a_socket_of_the_other(redis_prefix):
    channel_name = f"{redis_prefix}socketio"
    async with server(channel_name) as (url_a, channel_a), server(channel_name) as (url_b, b):
        citizen = await WidgetSocket.open(url_a)
        other = await WidgetSocket.open(url_b)
        try:
            session_id = SIGNER.verify(await citizen.request_session(None))
            await other.request_session(None)
            await subscribers(channel_name, 2)

            # A counsellor's message, sent through server B's output channel (Rasa's API
            # with output_channel=latest on the server the balancer chose).
            await b.get_output_channel().send_text_message(
                conversation_id(session_id), "Hallo, ik ben Anna"
            )
            await citizen.wait_for_text("Hallo, ik ben Anna", timeout=10)
            # The citizen's own messages still work on A; nobody else hears any of it.
            await citizen.say("dank je")
            await citizen.wait_for_text("echo dank je", timeout=10)
            await asyncio.sleep(0.3)
            assert other.texts() == []
            assert citizen.texts() == ["Hallo, ik ben Anna", "echo dank je"]
        finally:
            await citizen.close()
            await other.close()
    assert channel_a.sio is not None


async def test_without_the_shared_manager_the_other_server_cannot_reach_it(redis_prefix):
    # The failure the Redis manager prevents: two servers, each with its own rooms.
    channel_a = WebchatSocketIO(signer=SIGNER, allowed_origins=(), manager=socketio.AsyncManager())
    channel_b = WebchatSocketIO(signer=SIGNER, allowed_origins=(), manager=socketio.AsyncManager())

    async def ignore(_message: UserMessage) -> None:
        return None

    async with (
        serve_blueprint(channel_a.blueprint(ignore), "/w") as url_a,
        serve_blueprint(channel_b.blueprint(ignore), "/w"),
    ):
        citizen = await WidgetSocket.open(url_a.removesuffix("/w"))
        try:
            session_id = SIGNER.verify(await citizen.request_session(None))
            await channel_b.get_output_channel().send_text_message(
                conversation_id(session_id), "lost"
            )
            await asyncio.sleep(0.5)
            assert citizen.texts() == []
        finally:
            await citizen.close()


def test_the_settings_choose_the_manager(redis_prefix):
    local = dataclasses.replace(load_settings(), redis_url="", environment="local")
    assert client_manager(local) is None
    shared = dataclasses.replace(local, redis_url=TEST_REDIS_URL, redis_key_prefix=redis_prefix)
    manager = client_manager(shared)
    assert isinstance(manager, socketio.AsyncRedisManager)
    assert manager.channel == f"{redis_prefix}socketio"
    with pytest.raises(RedisNotConfigured):
        client_manager(dataclasses.replace(local, environment="production"))

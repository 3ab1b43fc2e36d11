"""The widget's socket.io channel in a real Sanic server with a real socket.io client.

No Rasa here: the channel hands each message to `on_new_message`, which answers through the
message's output channel as Rasa does (tests/unit/channels/webchat/test_socketio_stack.py
runs the same events against the real assistant).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
import socketio
from rasa.core.channels.channel import UserMessage

from channels.rate_limit import ConversationRateLimiter
from channels.webchat import WebchatSocketIO
from channels.webchat.session_token import SessionSigner, conversation_id
from tests.support import serve_blueprint, t
from tests.unit.channels.webchat.widget_socket import WidgetSocket

SIGNER = SessionSigner(b"the secret of the in-process tests")
AGENCY = "https://agency.example.be"


@dataclass
class Server:
    url: str
    channel: WebchatSocketIO
    messages: list[UserMessage] = field(default_factory=list)
    sockets: list[WidgetSocket] = field(default_factory=list)

    async def socket(self, origin: str | None = None) -> WidgetSocket:
        opened = await WidgetSocket.open(self.url, origin)
        self.sockets.append(opened)
        return opened


@asynccontextmanager
async def served(limiter: ConversationRateLimiter | None = None) -> AsyncIterator[Server]:
    channel = WebchatSocketIO(signer=SIGNER, allowed_origins=(AGENCY,), limiter=limiter)
    server = Server("", channel)

    async def on_new_message(message: UserMessage) -> None:
        # As Rasa: the answer goes to the conversation the channel named.
        server.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, f"echo {message.text}")

    blueprint = channel.blueprint(on_new_message)
    async with serve_blueprint(blueprint, "/webhooks/socketio") as url:
        server.url = url.removesuffix("/webhooks/socketio")
        try:
            yield server
        finally:
            for opened in server.sockets:
                await opened.close()


def session_of(signed: str) -> str:
    session_id = SIGNER.verify(signed)
    assert session_id is not None, signed
    return session_id


async def test_a_new_socket_gets_a_signed_session_and_keeps_it_on_request():
    async with served() as server:
        first = await server.socket()
        signed = await first.request_session(None)
        again = await (await server.socket()).request_session(signed)
        assert again == signed


@pytest.mark.parametrize(
    "claimed",
    [
        "0123456789abcdef0123456789abcdef",  # an old, browser-chosen id
        "0123456789abcdef0123456789abcdef." + "A" * 43,  # a forged signature
        "web:0123456789abcdef0123456789abcdef",
        "",
        42,
        ["x"],
        {"session_id": "x"},
    ],
)
async def test_an_id_without_the_servers_signature_gets_a_new_session(claimed):
    async with served() as server:
        socket = await server.socket()
        signed = await socket.request_session(claimed)
        assert session_of(signed) != claimed and signed != claimed


async def test_another_sessions_id_with_a_tampered_signature_gets_a_new_session():
    async with served() as server:
        victim = await (await server.socket()).request_session(None)
        session_id, signature = victim.split(".")
        tampered = f"{session_id}.{signature[::-1]}"
        thief = await server.socket()
        assert session_of(await thief.request_session(tampered)) != session_id
        assert session_of(await thief.request_session(session_id)) != session_id


async def test_messages_go_to_the_confirmed_conversation_whatever_the_payload_claims():
    async with served() as server:
        victim = await server.socket()
        victim_signed = await victim.request_session(None)
        socket = await server.socket()
        own = session_of(await socket.request_session(None))

        await socket.say("hallo", "fr", session_id=victim_signed)

        (message,) = server.messages
        assert message.sender_id == conversation_id(own) == f"web:{own}"
        assert message.input_channel == "socketio"
        assert message.metadata == {"language": "fr"}
        await socket.wait_for_text("echo hallo")
        assert victim.received == []


async def test_a_reply_reaches_only_the_sockets_of_its_session():
    async with served() as server:
        alice, bob = await server.socket(), await server.socket()
        alice_signed = await alice.request_session(None)
        await bob.request_session(None)
        # Alice's second tab (a reload) continues her conversation.
        alice_again = await server.socket()
        await alice_again.request_session(alice_signed)

        await alice.say("one")
        await alice.wait_for_text("echo one")
        await alice_again.wait_for_text("echo one")
        await bob.say("two")
        await bob.wait_for_text("echo two")

        assert alice.texts() == ["echo one"] and alice_again.texts() == ["echo one"]
        assert bob.texts() == ["echo two"]
        assert server.messages[0].sender_id == f"web:{session_of(alice_signed)}"


async def test_a_session_over_the_rate_limit_is_asked_to_wait_and_others_go_on():
    limiter = ConversationRateLimiter(per_minute=1, burst=2, clock=lambda: 0.0)
    async with served(limiter) as server:
        fast, calm = await server.socket(), await server.socket()
        await fast.request_session(None)
        await calm.request_session(None)
        for text in ("een", "twee", "drie"):
            await fast.say(text, "nl")
        await fast.wait_for_text(t("utter_slow_down", "nl"))
        await calm.say("hallo", "nl")
        await calm.wait_for_text("echo hallo")
        assert [m.text for m in server.messages] == ["een", "twee", "hallo"]


async def test_a_message_before_any_session_request_gets_a_session_first():
    async with served() as server:
        socket = await server.socket()
        await socket.say("hello")
        (signed,) = socket.confirmed
        assert server.messages[0].sender_id == f"web:{session_of(signed)}"
        await socket.wait_for_text("echo hello")


async def test_a_socket_that_starts_afresh_no_longer_hears_its_old_conversation():
    async with served() as server:
        socket = await server.socket()
        old = session_of(await socket.request_session(None))
        new = session_of(await socket.request_session(None))
        assert new != old
        output = server.channel.get_output_channel()
        await output.send_text_message(conversation_id(old), "for the old conversation")
        await output.send_text_message(conversation_id(new), "for the new one")
        await socket.wait_for_text("for the new one")
        assert socket.texts() == ["for the new one"]


async def test_the_output_channel_reaches_the_socket_later():
    # What Rasa's API uses with output_channel=latest (a counsellor's message).
    async with served() as server:
        socket = await server.socket()
        session_id = session_of(await socket.request_session(None))
        output = server.channel.get_output_channel()
        await output.send_text_with_buttons(
            conversation_id(session_id), "Kies", [{"title": "Ja", "payload": "/affirm"}]
        )
        message = await socket.wait_for(lambda: socket.received and socket.received[-1])
        assert message["text"] == "Kies"
        assert message["quick_replies"][0]["payload"] == "/affirm"


async def test_custom_json_arrives_as_the_event_and_only_in_its_room():
    async with served() as server:
        socket, other = await server.socket(), await server.socket()
        session_id = session_of(await socket.request_session(None))
        other_id = session_of(await other.request_session(None))
        output = server.channel.get_output_channel()
        await output.send_custom_json(conversation_id(session_id), {"clear_conversation": True})
        # Rasa's socket.io shape, naming another room: still only this conversation.
        await output.send_custom_json(
            conversation_id(session_id), {"data": {"n": 2}, "room": conversation_id(other_id)}
        )
        await socket.wait_for(lambda: len(socket.received) == 2)
        assert socket.received == [{"clear_conversation": True}, {"n": 2}]
        assert other.received == []


async def test_only_allowed_origins_and_the_servers_own_pages_may_connect():
    async with served() as server:
        with pytest.raises(socketio.exceptions.ConnectionError):
            await server.socket(origin="https://evil.example.com")
        allowed = await server.socket(origin=AGENCY)
        own = await server.socket(origin=server.url)
        assert await allowed.request_session(None) and await own.request_session(None)


def test_the_channel_keeps_rasas_name_and_refuses_what_it_does_not_do():
    channel = WebchatSocketIO.from_credentials({"user_message_evt": "user_uttered"})
    assert channel.name() == "socketio" and channel.socketio_path == "/socket.io"
    with pytest.raises(ValueError, match="jwt_key"):
        WebchatSocketIO.from_credentials({"jwt_key": "k"})
    with pytest.raises(ValueError, match="persist"):
        WebchatSocketIO.from_credentials({"session_persistence": False})

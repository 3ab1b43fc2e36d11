"""The widget's socket.io channel against the real assistant (Rasa, action server, sandbox).

A socket is one browser tab (widget_socket.py). Sessions are issued and signed by the
server: an id the server did not sign never reaches a conversation, a signed one continues
it, and the assistant's answers (and the messages sent later through Rasa's API, as the
counsellor console does) reach only the sockets of that conversation, `web:<id>`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support import Stack, t
from tests.unit.channels.webchat.widget_socket import WidgetSocket

pytestmark = pytest.mark.integration

NL = "nl"
GREETING = t("utter_greet", NL)
ASK_NUMBER = t("utter_ask_national_number", NL)


def session_id_of(signed: str) -> str:
    session_id, separator, signature = signed.partition(".")
    assert separator and len(session_id) == 32 and signature, signed
    return session_id


def user_texts(stack: Stack, conversation_id: str) -> list[str]:
    tracker = stack.api(f"/conversations/{conversation_id}/tracker")
    assert tracker["sender_id"] == conversation_id
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


@pytest.fixture
async def sockets(stack: Stack) -> AsyncIterator[list[WidgetSocket]]:
    """Open sockets to the stack's Rasa server (`await open_socket(sockets, stack)`)."""
    opened: list[WidgetSocket] = []
    yield opened
    for socket in opened:
        await socket.close()


async def open_socket(sockets: list[WidgetSocket], stack: Stack) -> WidgetSocket:
    socket = await WidgetSocket.open(stack.rasa_url)
    sockets.append(socket)
    return socket


async def greeted(sockets: list[WidgetSocket], stack: Stack, session: str | None = None):
    """A tab that asked for `session` (None: a new one) and said hello; (socket, signed id)."""
    socket = await open_socket(sockets, stack)
    signed = await socket.request_session(session)
    await socket.say("/greet")
    await socket.wait_for_text(GREETING)
    return socket, signed


async def test_ids_the_server_did_not_sign_start_new_conversations_that_see_nothing_else(
    stack, sockets
):
    alice, alice_signed = await greeted(sockets, stack)
    alice_id = session_id_of(alice_signed)
    forged = f"{alice_id}.{'A' * 43}"
    intruders = []
    for claimed in (alice_id, f"web:{alice_id}", forged, alice_signed[:-1]):
        intruder, signed = await greeted(sockets, stack, claimed)
        assert session_id_of(signed) != alice_id, claimed
        intruders.append(intruder)

    # Alice goes on; nobody else hears it.
    await alice.say("/register_jobseeker")
    await alice.wait_for_text(ASK_NUMBER)
    for intruder in intruders:
        # An intruder's own conversation works, and holds only what it said.
        await intruder.say("/register_jobseeker")
        await intruder.wait_for_text(ASK_NUMBER)
        assert intruder.texts().count(ASK_NUMBER) == 1
    assert alice.texts().count(ASK_NUMBER) == 1
    assert user_texts(stack, f"web:{alice_id}") == ["/greet", "/register_jobseeker"]


async def test_a_reply_reaches_only_the_socket_of_its_session(stack, sockets):
    alice, _ = await greeted(sockets, stack)
    bob, _ = await greeted(sockets, stack)
    heard_by_bob = len(bob.received)
    await alice.say("/register_jobseeker")
    await alice.wait_for_text(ASK_NUMBER)
    assert len(bob.received) == heard_by_bob and ASK_NUMBER not in bob.texts()


async def test_a_reconnect_with_the_signed_id_continues_the_conversation(stack, sockets):
    first, signed = await greeted(sockets, stack)
    await first.say("/register_jobseeker")
    await first.wait_for_text(ASK_NUMBER)
    await first.say("85.07.30-033.28")
    await first.wait_for_text(t("utter_ask_given_name", NL))
    await first.close()
    sockets.remove(first)

    again = await open_socket(sockets, stack)
    assert await again.request_session(signed) == signed
    await again.say("Marie")
    await again.wait_for_text(t("utter_ask_family_name", NL))
    slots = stack.api(f"/conversations/web:{session_id_of(signed)}/tracker")["slots"]
    assert slots["given_name"] == "Marie"


async def test_the_conversation_is_stored_under_web_and_the_session_id(stack, sockets):
    _, signed = await greeted(sockets, stack)
    session_id = session_id_of(signed)
    assert user_texts(stack, f"web:{session_id}") == ["/greet"]
    # Neither the bare id nor the signed one names a conversation of the widget.
    assert user_texts(stack, session_id) == []
    assert stack.api(f"/conversations/web:{session_id}/tracker")["latest_input_channel"] == (
        "socketio"
    )


async def test_a_message_sent_through_rasas_api_reaches_the_widget(stack, sockets):
    # As the counsellor console does: the output channel of the citizen's latest message.
    alice, signed = await greeted(sockets, stack)
    bob, _ = await greeted(sockets, stack)
    heard_by_bob = len(bob.received)
    before = alice.texts().count(GREETING)
    stack.api(
        f"/conversations/web:{session_id_of(signed)}/trigger_intent?output_channel=latest",
        {"name": "greet"},
    )
    await alice.wait_for(lambda: alice.texts().count(GREETING) > before)
    assert len(bob.received) == heard_by_bob


async def test_delete_my_data_tells_the_widget_to_clear(stack, sockets):
    alice, _ = await greeted(sockets, stack)
    await alice.say("/forget_me")
    await alice.wait_for_text(t("utter_confirm_forget", NL))
    (button,) = [
        b
        for m in alice.received
        for b in m.get("quick_replies") or []
        if b["title"] == t("button_forget_yes", NL)
    ]
    await alice.say(button["payload"])
    farewell = t("utter_forgotten", NL)
    await alice.wait_for(lambda: {"clear_conversation": True} in alice.received)
    # The words first, then the request to clear: the widget shows them, then forgets.
    said = [m.get("text") for m in alice.received]
    assert said.index(farewell) < alice.received.index({"clear_conversation": True})

"""A Telegram conversation cannot be reached from another channel.

A private chat's id is the citizen's public numeric Telegram id, so anybody may know it.
Over REST, that id (bare or with the `tg:` prefix) opens a new, empty conversation of the
REST channel: never the citizen's.
"""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid

import pytest

from tests.support import Chat, api_call, t
from tests.telegram.helpers import Citizen

pytestmark = pytest.mark.integration


def test_rest_with_a_telegram_chat_id_never_reaches_the_telegram_conversation(telegram_stack):
    citizen = Citizen(telegram_stack, language_code="nl")
    citizen.say("ik wil me inschrijven", t("utter_ask_national_number", "nl"))
    citizen.say("72.11.19-123.23", t("utter_ask_given_name", "nl"))
    citizen.say("Marie", t("utter_ask_family_name", "nl"))
    telegram_slots = citizen.tracker()["slots"]
    assert telegram_slots["given_name"] == "Marie"

    for sender in (str(citizen.chat_id), f"tg:{citizen.chat_id}"):
        intruder = Chat(telegram_stack.rasa_url, sender, telegram_stack.api_token)
        said = Chat.text(intruder.send("herhaal"))
        assert "Marie" not in said and "72" not in said
        stored = intruder.tracker()
        assert stored["sender_id"] == f"rest:{sender}"
        assert stored["slots"]["given_name"] is None

    # The citizen's own conversation is untouched and goes on.
    assert citizen.tracker()["slots"] == telegram_slots
    citizen.say("Janssens", t("utter_ask_birth_date", "nl"))


def test_the_rasa_api_refuses_a_token_in_the_url(telegram_stack):
    path = f"/conversations/rest:{uuid.uuid4().hex}/tracker"
    assert api_call(telegram_stack.rasa_url, telegram_stack.api_token, path)["sender_id"]
    url = f"{telegram_stack.rasa_url}{path}?token={telegram_stack.api_token}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)
    assert refused.value.code == 401

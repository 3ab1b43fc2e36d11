"""Polling mode: getUpdates fetches the update, the assistant answers, the offset advances."""

from __future__ import annotations

import time

import pytest

from tests.support import privacy_notice, t
from tests.telegram.helpers import Citizen, text_content

pytestmark = pytest.mark.integration


def test_an_update_from_get_updates_is_answered_and_the_offset_advances(telegram_stack):
    api = telegram_stack.api
    citizen = Citizen(telegram_stack, language_code="en")
    update = citizen.update(**text_content("hello"))
    since = api.mark()
    api.queue_update(update)

    reply = citizen.wait(since, t("utter_greet", "en"))
    assert reply.methods == ["sendChatAction", "sendMessage", "sendMessage"]
    assert [m.text for m in reply.messages] == [privacy_notice("en"), t("utter_greet", "en")]
    assert citizen.tracker()["latest_input_channel"] == "telegram"

    confirmed = api.wait_for(
        lambda: [
            c
            for c in api.recorded("getUpdates", since=since)
            if c.params.get("offset") == update["update_id"] + 1
        ],
        timeout=30,
        what="a getUpdates call with the next offset",
    )
    assert confirmed
    # Later polls do not fetch it again, so it is answered once.
    time.sleep(4)
    assert (
        len(api.recorded("sendMessage", chat_id=citizen.chat_id, since=since)) == 2
    )  # notice, greeting

    second = citizen.update(**text_content("/help"))
    since = api.mark()
    api.queue_update(second)
    citizen.wait(since, t("utter_help", "en"))
    api.wait_for(
        lambda: [
            c
            for c in api.recorded("getUpdates", since=since)
            if c.params.get("offset") == second["update_id"] + 1
        ],
        timeout=30,
        what="the offset after the second update",
    )

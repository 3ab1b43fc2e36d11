"""A shared library computer keeps nothing of a citizen's conversation (real Chromium, real
assistant).

By default the widget keeps the conversation in sessionStorage (this tab only); an agency
may ask for localStorage (`data-persist="local"`). A conversation unused for
`data-idle-minutes` (30) is forgotten, "Stop and clear" forgets it at once, and so does the
assistant's `{"clear_conversation": true}` after "delete my data". Sessions are signed by
the server: a stored id it did not sign is not continued, and only allowed sites may use
the server at all.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    BOT_TIMEOUT_MS,
    UI,
    Chat,
    allowed_site,
    national_number,
    poll,
    t,
    widget_page,
)
from tests.support import Stack, free_port

pytestmark = pytest.mark.integration

NL = "nl"
REGISTER = t("button_register", NL)
ASK_NUMBER = t("utter_ask_national_number", NL)
EVERYTHING_STORED = "() => JSON.stringify(sessionStorage) + JSON.stringify(localStorage)"
# Moves the stored "last used" time `minutes` back.
USED_MINUTES_AGO = """([area, key, minutes]) => {
  const state = JSON.parse(window[area].getItem(key));
  state.lastActive = Date.now() - minutes * 60000;
  window[area].setItem(key, JSON.stringify(state));
}"""


def user_events(stack: Stack, conversation_id: str) -> list[str]:
    tracker = stack.api(f"/conversations/{conversation_id}/tracker")
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


def registration_started(chat: Chat, serial: int) -> str:
    """Register up to the national number; the number typed (no text of the assistant's)."""
    number = national_number(date(1980, 1, 1) + timedelta(days=serial), serial)
    chat.open_and_wait_for_greeting()
    chat.tap(REGISTER, ASK_NUMBER)
    chat.say(number, t("utter_ask_given_name", NL))
    chat.wait_until_idle()
    return number


def test_by_default_the_conversation_stays_in_this_tab_only(new_chat, stack):
    chat = new_chat()
    number = registration_started(chat, 11)
    session = chat.session_id()
    assert number in json.dumps(chat.storage()["history"]) and session
    assert chat.storage("localStorage") == {}

    chat.page.reload()  # a reload keeps it
    expect(chat.el(".jsc-panel")).to_be_visible()
    chat.wait_until_online()
    assert chat.user_texts() == [REGISTER, number] and chat.session_id() == session

    # Another tab (the next person at the computer, once the first closed theirs) starts afresh.
    other = Chat(chat.page.context.new_page(), stack.rasa_url).goto()
    other.open_and_wait_for_greeting()
    other.wait_until_idle()
    assert other.user_texts() == [] and number not in other.page.evaluate(EVERYTHING_STORED)
    assert other.session_id() != session
    assert not chat.page_errors


def test_what_an_older_version_left_in_local_storage_is_removed(new_chat):
    chat = new_chat()
    left = {"sessionId": uuid.uuid4().hex, "history": [{"id": "a", "text": "85.07.30-033.28"}]}
    chat.page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [chat.storage_key, json.dumps(left)],
    )
    chat.page.reload()
    chat.open_and_wait_for_greeting()
    assert chat.storage("localStorage") == {}
    assert "85.07.30-033.28" not in chat.page.evaluate(EVERYTHING_STORED)
    assert chat.user_texts() == []


def test_data_persist_local_keeps_the_conversation_after_the_tab_is_closed(
    new_chat, stack, serve_page
):
    site = allowed_site(stack.env, stack.rasa_url)
    page = serve_page(widget_page(stack.rasa_url, persist="local"))
    chat = new_chat(goto=False).goto_site(site, page)
    number = registration_started(chat, 12)
    session = chat.session_id("localStorage")
    assert chat.storage() == {}  # nothing in sessionStorage
    context = chat.page.context
    chat.page.close()

    again = Chat(context.new_page(), stack.rasa_url).goto_site(site, page)
    expect(again.el(".jsc-panel")).to_be_visible()
    again.wait_until_online()
    assert again.user_texts() == [REGISTER, number]
    assert again.session_id("localStorage") == session
    again.say("Marie", t("utter_ask_family_name", NL))
    assert user_events(stack, again.conversation_id("localStorage"))[-2:] == [number, "Marie"]


@pytest.mark.parametrize(("minutes_ago", "kept"), [(29, True), (31, False)])
def test_a_conversation_unused_for_30_minutes_is_forgotten_when_the_page_loads(
    new_chat, minutes_ago, kept
):
    chat = new_chat()
    number = registration_started(chat, 13)
    session = chat.session_id()
    chat.page.evaluate(USED_MINUTES_AGO, ["sessionStorage", chat.storage_key, minutes_ago])
    chat.page.reload()
    expect(chat.el(".jsc-panel")).to_be_visible()
    if kept:
        chat.wait_until_online()
        assert chat.user_texts() == [REGISTER, number] and chat.session_id() == session
        expect(chat.el(".jsc-note")).to_have_count(0)
        return
    expect(chat.el(".jsc-note")).to_have_text(UI[NL]["expired"])
    chat.wait_for_bot(t("utter_greet", NL))  # a new conversation
    chat.wait_until_idle()
    assert chat.user_texts() == [] and number not in chat.page.evaluate(EVERYTHING_STORED)
    assert chat.session_id() != session
    assert not chat.page_errors


def test_data_idle_minutes_forgets_an_open_conversation_and_the_next_message_starts_anew(
    new_chat, stack, serve_page
):
    site = allowed_site(stack.env, stack.rasa_url)
    # Half a minute without a message either way (a turn of the assistant takes seconds).
    page = serve_page(widget_page(stack.rasa_url, idle_minutes="0.5"))
    chat = new_chat(goto=False).goto_site(site, page)
    number = registration_started(chat, 14)
    old = chat.conversation_id()

    expect(chat.el(".jsc-note")).to_have_text(UI[NL]["expired"], timeout=60_000)
    assert chat.bot_count() == 0 and chat.user_texts() == []
    assert number not in chat.page.evaluate(EVERYTHING_STORED)

    chat.say("hallo", t("utter_greet", NL))
    new = chat.conversation_id()
    assert new != old
    assert user_events(stack, new) == ["hallo"]
    assert "hallo" not in user_events(stack, old)
    assert not chat.page_errors


def test_stop_and_clear_forgets_the_conversation_on_this_device(new_chat, stack):
    chat = new_chat()
    number = registration_started(chat, 15)
    old = chat.conversation_id()

    button = chat.el(".jsc-clear")
    expect(button).to_be_visible()
    expect(button.locator("span:not(.jsc-sr)")).to_have_text(UI[NL]["clear"])
    expect(button).to_have_accessible_name(f"{UI[NL]['clear']} {UI[NL]['clear_hidden']}")

    # "Cancel" in the question: nothing changes.
    chat.page.once("dialog", lambda dialog: dialog.dismiss())
    button.click()
    assert number in chat.user_texts() and chat.conversation_id() == old

    asked: list[str] = []

    def accept(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    chat.page.once("dialog", accept)
    button.click()
    expect(chat.el(".jsc-note")).to_have_text(UI[NL]["cleared"])
    chat.wait_for_bot(t("utter_greet", NL))  # a new conversation greets
    chat.wait_until_idle()
    assert asked == [UI[NL]["clear_confirm"]]
    assert chat.user_texts() == []
    assert number not in chat.page.evaluate(EVERYTHING_STORED)
    new = chat.conversation_id()
    assert new != old and number not in user_events(stack, new)
    assert not chat.page_errors


def test_after_delete_my_data_the_widget_shows_the_answer_and_keeps_nothing(new_chat, stack):
    chat = new_chat()
    number = registration_started(chat, 16)
    old = chat.session_id()

    chat.say("/forget_me", t("utter_confirm_forget", NL))
    chat.answer_button(t("button_forget_yes", NL)).click()
    # The answer stays on the screen; nothing else does, on the screen or in the browser.
    expect(chat.el(".jsc-message")).to_have_count(1, timeout=BOT_TIMEOUT_MS)
    expect(chat.el(".jsc-message--bot .jsc-text")).to_have_text(t("utter_forgotten", NL))
    assert poll(lambda: chat.storage().get("history") == [] and chat.session_id() != old)
    assert number not in chat.page.evaluate(EVERYTHING_STORED)

    # Writing again starts a new conversation.
    chat.say("hallo", t("utter_greet", NL))
    assert chat.user_texts() == ["hallo"]
    assert user_events(stack, chat.conversation_id()) == ["hallo"]
    assert not chat.page_errors


def test_a_stored_session_the_server_did_not_sign_is_not_continued(new_chat, stack):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    chat.wait_until_idle()
    # As an older version kept it: an id chosen by the browser, and its messages.
    unsigned = uuid.uuid4().hex
    state = chat.storage() | {
        "sessionId": unsigned,
        "history": [{"id": "old", "from": "user", "text": "85.07.30-033.28"}],
    }
    chat.page.evaluate(
        "([key, value]) => sessionStorage.setItem(key, value)",
        [chat.storage_key, json.dumps(state)],
    )
    chat.page.reload()
    chat.wait_for_bot(t("utter_greet", NL))  # the conversation starts afresh
    chat.wait_until_idle()
    assert chat.user_texts() == []
    assert "85.07.30-033.28" not in chat.page.evaluate(EVERYTHING_STORED)
    signed = chat.session_id()
    assert not signed.startswith(unsigned) and "." in signed
    assert user_events(stack, f"web:{unsigned}") == []


def test_a_page_of_a_site_that_is_not_allowed_gets_neither_texts_nor_a_session(
    new_chat, stack, serve_page
):
    chat = new_chat(goto=False)
    chat.goto_site(f"http://127.0.0.1:{free_port()}", serve_page(widget_page(stack.rasa_url)))
    chat.page.wait_for_timeout(4000)
    host = chat.page.locator("#jobseeker-chat")
    assert host.evaluate("node => node.style.visibility") == "hidden"
    assert chat.storage().get("sessionId") is None

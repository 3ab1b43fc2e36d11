"""A citizen uses the widget on the demo page: real Chromium, real Rasa, real agency sandbox.

Every test has its own browser context, so its own storage and its own conversation. What
the widget keeps and forgets on the device is test_widget_privacy.py.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    PHONE,
    UI,
    Chat,
    allowed_site,
    national_number,
    reference_in,
    t,
    widget_page,
)
from tests.support import Stack, rows

pytestmark = pytest.mark.integration

NL = "nl"


def user_events(stack: Stack, conversation_id: str) -> list[str]:
    tracker = stack.api(f"/conversations/{conversation_id}/tracker")
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


def start_registration(chat: Chat) -> None:
    chat.open_and_wait_for_greeting()
    chat.tap(t("button_register", NL), t("utter_ask_national_number", NL))


def test_full_registration_in_dutch_by_clicks_and_typing(new_chat, stack):
    # A serial of its own each run: a number registered before gets "already registered".
    number = national_number(date(1992, 5, 14), random.randint(1, 997))
    chat = new_chat(viewport=PHONE)
    start_registration(chat)
    chat.say(number, t("utter_ask_given_name", NL))
    chat.say("Marie", t("utter_ask_family_name", NL))
    chat.say("Janssens", t("utter_ask_birth_date", NL))
    chat.say("14/05/1992", t("utter_ask_postcode", NL))
    chat.say("2000", t("utter_ask_phone", NL))
    assert any("VDAB" in said for said in chat.bot_texts())
    chat.say("0478 12 34 56", t("utter_ask_email", NL))
    chat.tap(t("button_no_email", NL), t("utter_ask_education_level", NL))
    chat.tap(t("education_secondary", NL), t("utter_ask_occupation", NL))
    summary_start = t("utter_registration_summary", NL).splitlines()[0]
    chat.tap(t("occupation_warehouse", NL), summary_start)

    # The summary keeps its line breaks (rendered as text, white-space: pre-line).
    summary = chat.el(".jsc-message--bot .jsc-text").filter(has_text=summary_start).last
    assert summary.evaluate("node => getComputedStyle(node).whiteSpace") == "pre-line"
    assert len(summary.inner_text().splitlines()) >= 8

    chat.tap(t("button_yes_correct", NL), "JS-")
    compact = number.replace(".", "").replace("-", "")
    registered = rows(
        stack.sandbox_db, "SELECT * FROM jobseekers WHERE national_number = :n", n=compact
    )
    assert len(registered) == 1
    row = registered[0]
    assert row["given_name"] == "Marie" and row["family_name"] == "Janssens"
    assert row["postcode"] == "2000" and row["agency"] == "VDAB"
    assert row["education_level"] == "secondary" and row["language"] == NL
    chat.wait_for_bot(t("utter_registration_done", NL, agency="VDAB", reference=row["reference"]))
    assert reference_in(chat.bot_texts()) == row["reference"]

    # Taps show the chosen title as the citizen's own message, typing shows the text.
    assert chat.user_texts() == [
        t("button_register", NL),
        number,
        "Marie",
        "Janssens",
        "14/05/1992",
        "2000",
        "0478 12 34 56",
        t("button_no_email", NL),
        t("education_secondary", NL),
        t("occupation_warehouse", NL),
        t("button_yes_correct", NL),
    ]
    assert not chat.page_errors


def test_reload_keeps_history_and_the_conversation_goes_on(new_chat, stack):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    # Reloaded while the assistant waits for a tap: the answer buttons are back.
    chat.page.reload()
    expect(chat.answer_button(t("button_register", NL))).to_be_visible()
    chat.wait_until_online()
    chat.tap(t("button_register", NL), t("utter_ask_national_number", NL))
    chat.say(national_number(date(1988, 11, 2), 47), t("utter_ask_given_name", NL))
    chat.say("Pieter", t("utter_ask_family_name", NL))
    chat.wait_until_idle()
    session = chat.session_id()
    said, typed = chat.bot_texts(), chat.user_texts()

    chat.page.reload()
    # Same window, same history, same session; no new greeting.
    expect(chat.el(".jsc-panel")).to_be_visible()
    assert chat.bot_texts() == said and chat.user_texts() == typed
    chat.wait_until_online()
    assert chat.session_id() == session
    chat.say("De Smet", t("utter_ask_birth_date", NL))

    slots = stack.api(f"/conversations/{chat.conversation_id()}/tracker")["slots"]
    assert slots["given_name"] == "Pieter" and slots["family_name"] == "De Smet"
    assert not chat.page_errors


def test_message_typed_offline_is_kept_and_delivered_once_online(new_chat, stack):
    chat = new_chat()
    start_registration(chat)
    chat.wait_until_idle()
    number = national_number(date(1979, 3, 21), 102)

    chat.page.context.set_offline(True)
    expect(chat.status).to_contain_text(UI[NL]["offline"])
    expect(chat.el(".jsc-offline")).to_be_visible()
    before = chat.bot_count()
    chat.input.fill(number)
    chat.input.press("Enter")

    pending = chat.el(".jsc-message--pending")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text(number)
    expect(pending).to_contain_text(UI[NL]["pending"])
    assert [item["message"] for item in chat.storage()["outbox"]] == [number]
    chat.page.wait_for_timeout(1500)
    assert chat.bot_count() == before  # nothing reached the assistant

    chat.page.context.set_offline(False)
    chat.wait_for_bot(t("utter_ask_given_name", NL), after=before)
    chat.wait_until_idle()
    expect(chat.status).to_contain_text(UI[NL]["online"])
    expect(pending).to_have_count(0)
    expect(chat.el(".jsc-offline")).to_be_hidden()
    assert chat.storage()["outbox"] == []
    assert user_events(stack, chat.conversation_id()).count(number) == 1
    assert not chat.page_errors


def test_offline_queue_survives_closing_the_page_with_data_persist_local(
    new_chat, stack, serve_page
):
    # An agency's own device: the conversation is kept in localStorage (data-persist).
    site = allowed_site(stack.env, stack.rasa_url)
    page = serve_page(widget_page(stack.rasa_url, persist="local"))
    chat = new_chat(goto=False).goto_site(site, page)
    start_registration(chat)
    chat.wait_until_idle()
    context = chat.page.context
    number = national_number(date(2001, 8, 9), 311)

    context.set_offline(True)
    expect(chat.status).to_contain_text(UI[NL]["offline"])
    chat.input.fill(number)
    chat.input.press("Enter")
    expect(chat.el(".jsc-message--pending")).to_have_count(1)
    chat.page.close()

    context.set_offline(False)
    again = Chat(context.new_page(), stack.rasa_url).goto_site(site, page)
    # The queued message is sent from localStorage as soon as the widget connects.
    again.wait_for_bot(t("utter_ask_given_name", NL))
    again.wait_until_idle()
    assert again.storage("localStorage")["outbox"] == []
    assert user_events(stack, again.conversation_id("localStorage")).count(number) == 1


TYPING_WATCH = """() => {
  const typing = document.querySelector("#jobseeker-chat").shadowRoot.querySelector(".jsc-typing");
  window.__typingShown = 0;
  new MutationObserver(() => { if (!typing.hidden) window.__typingShown += 1; })
    .observe(typing, { attributes: true, attributeFilter: ["hidden"] });
}"""


def test_typing_indicator_while_the_assistant_answers(new_chat):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    chat.wait_until_idle()
    chat.page.evaluate(TYPING_WATCH)
    chat.tap(t("button_register", NL), t("utter_ask_national_number", NL))
    chat.wait_until_idle()
    assert chat.page.evaluate("window.__typingShown") >= 1
    expect(chat.el(".jsc-typing")).to_be_hidden()
    expect(chat.el(".jsc-typing .jsc-sr")).to_have_text("De assistent schrijft…")


def test_talk_to_a_person_button_asks_for_a_counsellor(new_chat, stack):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    before = chat.bot_count()
    chat.el(".jsc-handoff").click()
    # "... You are number N in the queue ...": the first sentence does not depend on N.
    chat.wait_for_bot(t("utter_handoff_requested", NL).split(". ")[0], after=before)
    assert chat.user_texts()[-1] == UI[NL]["handoff"]
    requests = rows(
        stack.assistant_db,
        "SELECT * FROM handoff_requests WHERE conversation_id = :c",
        c=chat.conversation_id(),
    )
    assert len(requests) == 1 and requests[0]["language"] == NL


def test_language_chooser_switches_the_widget_and_the_assistant(new_chat):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    before = chat.bot_count()
    chat.language_button("fr").click()
    chat.wait_for_bot(t("utter_language_switched", "fr"), after=before)
    chat.language = "fr"

    assert chat.user_texts()[-1] == "Français"
    expect(chat.language_button("fr")).to_have_attribute("aria-pressed", "true")
    expect(chat.language_button(NL)).to_have_attribute("aria-pressed", "false")
    expect(chat.input).to_have_attribute("placeholder", "Votre message")
    expect(chat.el(".jsc-send")).to_have_text(UI["fr"]["send"])
    expect(chat.el(".jsc")).to_have_attribute("lang", "fr")
    # The hidden speaker labels follow the language too.
    expect(chat.el(".jsc-message--user [data-speaker]").last).to_have_text(UI["fr"]["you"] + " ")

    chat.page.reload()
    expect(chat.input).to_have_attribute("placeholder", "Votre message")
    expect(chat.language_button("fr")).to_have_attribute("aria-pressed", "true")


def test_what_anyone_writes_is_shown_as_text_never_as_html(new_chat):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    payload = '<img src=x onerror="window.__hacked = 1"><b>vet</b> & <script>1</script>'
    chat.input.fill(payload)
    chat.input.press("Enter")
    chat.wait_until_idle()
    assert chat.user_texts()[-1] == payload
    assert chat.el(".jsc-messages img").count() == 0
    assert chat.el(".jsc-messages b, .jsc-messages script").count() == 0
    assert chat.page.evaluate("window.__hacked") is None


def test_a_message_while_the_chat_is_closed_shows_on_its_button(new_chat, stack):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    chat.wait_until_idle()
    chat.el(".jsc-close").click()
    expect(chat.el(".jsc-panel")).to_be_hidden()
    before = chat.bot_count()
    # The server writes on its own (as a counsellor's answer does): Rasa's API sends it
    # through the channel of the citizen's latest message to the room of this conversation.
    stack.api(
        f"/conversations/{chat.conversation_id()}/trigger_intent?output_channel=latest",
        {"name": "greet"},
    )
    expect(chat.el(".jsc-message--bot")).to_have_count(before + 1)
    expect(chat.el(".jsc-unread")).to_be_visible()
    expect(chat.el(".jsc-unread")).to_have_text("Nieuw bericht")
    expect(chat.el(".jsc-live p").last).to_contain_text(t("utter_greet", NL))  # announced
    # The button's name now says so too, for screen reader users.
    expect(chat.el(".jsc-launcher")).to_have_accessible_name(f"{UI[NL]['launcher']} Nieuw bericht")
    chat.el(".jsc-launcher").click()
    expect(chat.el(".jsc-unread")).to_be_hidden()


INLINE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agency</title></head>
<body><main><h1>Contact</h1><div id="chat-here" style="height: 640px"></div></main>
<script>window.JobseekerChat = {{ serverUrl: "{rasa}", container: "#chat-here" }};</script>
<script src="{rasa}/webhooks/webchat/widget.js" defer></script>
</body></html>"""


def test_inside_a_container_of_the_page_without_a_button(new_chat, stack, serve_page):
    """Configured with window.JobseekerChat instead of data- attributes, on an agency's
    site (one of ALLOWED_ORIGINS)."""
    chat = new_chat(goto=False)
    chat.language = "en"  # no language given: the page's <html lang> decides
    site = allowed_site(stack.env, stack.rasa_url)
    chat.goto_site(site, serve_page(INLINE_PAGE.format(rasa=stack.rasa_url)))
    expect(chat.el(".jsc-panel")).to_be_visible()
    expect(chat.el(".jsc-launcher")).to_have_count(0)
    expect(chat.el(".jsc-close")).to_have_count(0)
    chat.wait_for_bot(t("utter_greet", "en"))
    box = chat.el(".jsc-panel").bounding_box()
    assert box and box["height"] == 640

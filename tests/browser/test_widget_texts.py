"""The widget's words come from the server (/webhooks/webchat/texts/<lang>.json).

widget.js has no text of its own: it shows nothing until its texts are there, shows English
when the server lacks its language, and keeps every language at hand so that a switch is
immediate, even without a connection.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from tests.browser.support import UI

pytestmark = pytest.mark.integration

TEXTS = "**/webhooks/webchat/texts/*.json"


def test_nothing_shows_before_the_texts_and_they_are_asked_again(new_chat):
    chat = new_chat(goto=False)
    chat.page.route(TEXTS, lambda route: route.abort())
    chat.goto()
    chat.page.wait_for_timeout(1500)
    host = chat.page.locator("#jobseeker-chat")
    assert host.evaluate("node => node.style.visibility") == "hidden"  # no unlabelled button
    expect(chat.launcher()).to_have_count(0)

    chat.page.unroute(TEXTS)  # the server answers again: the widget tries a few seconds later
    expect(chat.launcher()).to_be_visible(timeout=20_000)
    chat.open()
    expect(chat.input).to_have_attribute("placeholder", UI["nl"]["placeholder"])
    assert not chat.page_errors


def test_a_language_the_server_lacks_is_shown_in_english(new_chat):
    def missing(route: Route) -> None:
        route.fulfill(status=404, content_type="text/plain", body="Not found")

    chat = new_chat(goto=False)
    chat.page.route("**/webhooks/webchat/texts/nl.json", missing)
    chat.goto()  # the demo page asks for Dutch
    chat.language = "en"
    chat.open()
    expect(chat.el(".jsc")).to_have_attribute("lang", "en")
    expect(chat.input).to_have_attribute("placeholder", UI["en"]["placeholder"])
    expect(chat.el(".jsc-handoff")).to_have_text(UI["en"]["handoff"])
    # The citizen's language is still Dutch: only the widget's own words are English.
    expect(chat.language_button("nl")).to_have_attribute("aria-pressed", "true")
    # Stored, not read from the outbox: the greeting may already be delivered.
    assert chat.storage()["language"] == "nl"
    assert not chat.page_errors


def test_switching_language_offline_changes_the_widget_at_once(new_chat):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    chat.wait_until_idle()

    chat.page.context.set_offline(True)
    expect(chat.status).to_contain_text(UI["nl"]["offline"])
    chat.language_button("fr").click()
    expect(chat.el(".jsc")).to_have_attribute("lang", "fr")
    expect(chat.input).to_have_attribute("placeholder", UI["fr"]["placeholder"])
    expect(chat.status).to_contain_text(UI["fr"]["offline"])
    expect(chat.el(".jsc-offline")).to_have_text(UI["fr"]["offline_help"])
    expect(chat.el(".jsc-message--pending")).to_contain_text(UI["fr"]["pending"])
    expect(chat.language_button("fr")).to_have_attribute("aria-pressed", "true")
    chat.page.context.set_offline(False)
    expect(chat.status).to_contain_text(UI["fr"]["online"])
    assert not chat.page_errors

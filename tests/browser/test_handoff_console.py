"""A citizen in the widget and counsellors in the console, real Chromium pages at once.

The citizen asks for a person half-way through the registration; the counsellor logs in,
sees the conversation arrive in the queue without reloading (agency, language, channel,
task, reason: no message, no number), opens its summary, takes it, reads the citizen's
messages live with the typed national number masked, answers with a canned reply,
reveals that number in the message and in the form (one audited item each), and hands
back; the citizen finishes the registration with the assistant. A second counsellor who
opens the same conversation is refused, and the refusal is audited.
"""

from __future__ import annotations

import json
import random
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bot.handoff import queries, state
from tests.browser.support import (
    DESKTOP,
    PHONE,
    UI,
    VENDOR,
    national_number,
    poll,
    reference_in,
    t,
)
from tests.console_client import PASSWORD, ensure_counsellor, factory_for
from tests.support import rows

pytestmark = pytest.mark.integration

NL = "nl"


def first_sentence(key: str) -> str:
    return t(key, NL).split(". ")[0]


def audit_rows(database: str, action: str, conversation_id: str) -> list[dict[str, Any]]:
    return rows(
        database,
        "SELECT actor, detail FROM audit_events WHERE action = :a AND conversation_id = :c "
        "ORDER BY id",
        a=action,
        c=conversation_id,
    )


def handoff_of(database: str, session: str) -> list[dict[str, Any]]:
    """The handoff of a widget session: its conversation is `web:<id>` (the session id the
    browser keeps may be signed: `<id>.<signature>`)."""
    return rows(
        database,
        "SELECT * FROM handoff_requests WHERE conversation_id IN (:plain, :web)",
        plain=session,
        web="web:" + session.split(".")[0],
    )


def console_login(page: Page, console_url: str, username: str) -> None:
    page.goto(f"{console_url}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Waiting citizens")).to_be_visible()


def test_counsellor_takes_over_in_the_console_and_hands_back(
    new_chat, browser, stack, screenshot_dir
):
    ensure_counsellor(stack.assistant_db, "lotte", "Lotte")
    ensure_counsellor(stack.assistant_db, "sam", "Sam")
    console_context = browser.new_context(viewport=DESKTOP)
    console_context.set_default_timeout(30_000)
    console = console_context.new_page()
    console_errors: list[str] = []
    console.on("pageerror", lambda error: console_errors.append(str(error)))
    other_context = browser.new_context(viewport=DESKTOP)
    other_context.set_default_timeout(30_000)
    try:
        console_login(console, stack.console_url, "lotte")

        # The citizen registers, and asks for a person at the given-name question.
        number = national_number(date(1990, 3, 12), random.randint(1, 997))
        digits = number.replace(".", "").replace("-", "")
        chat = new_chat(viewport=PHONE)
        chat.open_and_wait_for_greeting()
        chat.tap(t("button_register", NL), t("utter_ask_national_number", NL))
        chat.say(number, t("utter_ask_given_name", NL))
        before = chat.bot_count()
        chat.el(".jsc-handoff").click()
        chat.wait_for_bot(first_sentence("utter_handoff_requested"), after=before)
        request = poll(lambda: handoff_of(stack.assistant_db, chat.session_id()))
        assert request and request[0]["channel"] == "socketio"
        request_id, conversation_id = request[0]["id"], request[0]["conversation_id"]

        # The queue shows it without a reload (server-sent events): what it takes to decide,
        # nothing personal.
        row = console.locator(f'tr[data-handoff="{request_id}"]')
        expect(row).to_be_visible(timeout=15_000)
        expect(row).to_contain_text("NL")
        expect(row).to_contain_text("Web chat")
        expect(row).to_contain_text("Registration · at: Given name")
        expect(row).to_contain_text("asked for a person")
        assert number not in console.content() and digits not in console.content()

        # Its details: a summary, still without a message or a number.
        row.get_by_role("link", name="Details").click()
        console.wait_for_url(f"**/handoffs/{request_id}")
        expect(console.get_by_role("heading", name="Waiting citizen")).to_be_visible()
        expect(console.locator("dl.about")).to_contain_text("Registration · at: Given name")
        summary = console.content()
        assert number not in summary and digits not in summary
        assert t("utter_ask_national_number", NL) not in summary
        assert audit_rows(stack.assistant_db, "handoff_summary_viewed", conversation_id)
        console.get_by_role("button", name="Take this conversation").click()
        console.wait_for_url(f"**/handoffs/{request_id}")
        expect(console.locator("#transcript")).to_be_visible()

        # The citizen is told who answers now.
        chat.wait_for_bot(t("utter_handoff_taken", NL, name="Lotte"))

        # The citizen's message appears in the console without a reload.
        before = chat.bot_count()
        chat.input.fill("Ik heb twee voornamen, welke moet ik geven?")
        chat.input.press("Enter")
        expect(console.locator(".msg.citizen").last).to_contain_text(
            "Ik heb twee voornamen", timeout=15_000
        )
        assert chat.bot_count() == before, "the assistant must stay silent while held"

        # A canned reply in the citizen's language, then a typed one.
        canned = t("canned_greeting", NL)
        console.get_by_role("button", name=canned).click()
        expect(
            console.get_by_label("Your answer (the citizen reads it in the chat)")
        ).to_have_value(canned)
        console.get_by_role("button", name="Send", exact=True).click()
        chat.wait_for_bot(canned)
        answer = "Geef uw eerste voornaam, zoals op uw identiteitskaart."
        console.get_by_label("Your answer (the citizen reads it in the chat)").fill(answer)
        console.get_by_role("button", name="Send", exact=True).click()
        chat.wait_for_bot(answer)
        expect(console.locator(".msg.counsellor").last).to_contain_text(answer)

        # The typed national number answered its question: masked whole in the transcript,
        # as it is in the form.
        transcript = console.locator("#transcript")
        expect(transcript).not_to_contain_text(number)
        assert digits not in console.content() and number not in console.content()

        console.evaluate("() => document.activeElement && document.activeElement.blur()")
        console.evaluate("() => window.scrollTo(0, 0)")
        # The picture shows the citizen's masked number, and the messages after it.
        console.evaluate(
            """() => {
              const list = document.querySelector("#transcript .messages");
              const masked = list.querySelector(".msg.citizen .masked");
              list.scrollTop = masked.closest(".msg").offsetTop - list.offsetTop - 8;
            }"""
        )
        console.screenshot(path=str(screenshot_dir / "console-conversation.png"), full_page=True)

        # One item at a time: the number in the citizen's message, then the form field.
        item_button = transcript.get_by_role("button", name="Show the national number").first
        item = item_button.get_attribute("data-item")
        item_button.click()
        expect(console.locator(f"#item-{item}")).to_have_text(number)
        value = console.locator("#value-national_number")
        expect(value).not_to_contain_text(digits)
        console.locator('button[data-field="national_number"]').click()
        expect(value).to_have_text(digits)
        revealed = audit_rows(stack.assistant_db, "personal_data_revealed", conversation_id)
        assert [json.loads(r["detail"]) for r in revealed] == [
            {"request_id": request_id, "item": item, "kind": "national_number"},
            {"request_id": request_id, "field": "national_number"},
        ]
        assert all(digits not in r["detail"] and number not in r["detail"] for r in revealed)
        assert audit_rows(stack.assistant_db, "handoff_transcript_viewed", conversation_id)

        # Another counsellor cannot open it; the attempt is in the audit trail.
        other = other_context.new_page()
        console_login(other, stack.console_url, "sam")
        other.goto(f"{stack.console_url}/handoffs/{request_id}")
        expect(
            other.get_by_role("heading", name="You cannot open this conversation")
        ).to_be_visible()
        expect(other.locator("main")).to_contain_text("Another counsellor holds this conversation")
        assert "Ik heb twee voornamen" not in other.content()
        refused = audit_rows(stack.assistant_db, "handoff_access_refused", conversation_id)
        assert len(refused) == 1 and json.loads(refused[0]["detail"])["attempted"] == "view"

        # Hand back: the assistant says so and asks the same question again.
        before = chat.bot_count()
        console.get_by_role("button", name="Hand back to the assistant").click()
        expect(console.get_by_role("status")).to_contain_text("went back to the assistant")
        chat.wait_for_bot(first_sentence("utter_handoff_resumed"), after=before)
        chat.wait_for_bot(t("utter_ask_given_name", NL), after=before)

        # The citizen finishes the registration with the assistant.
        chat.say("Marie", t("utter_ask_family_name", NL))
        chat.say("Peeters", t("utter_ask_birth_date", NL))
        chat.say("12/03/1990", t("utter_ask_postcode", NL))
        chat.say("9000", t("utter_ask_phone", NL))
        chat.say("0478 12 34 56", t("utter_ask_email", NL))
        chat.tap(t("button_no_email", NL), t("utter_ask_education_level", NL))
        chat.tap(t("education_higher", NL), t("utter_ask_occupation", NL))
        summary_start = t("utter_registration_summary", NL).splitlines()[0]
        chat.tap(t("occupation_office", NL), summary_start)
        before = chat.bot_count()
        chat.answer_button(t("button_yes_correct", NL)).click()
        chat.wait_for_bot("JS-", after=before)
        assert reference_in(chat.bot_texts())
        assert chat.page_errors == [] and console_errors == []
        assert UI[NL]["handoff"]  # the widget's handoff button was the way in
    finally:
        other_context.close()
        console_context.close()


AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target) }));
}"""


def serious_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(VENDOR / "axe.min.js"))
    return page.evaluate(AXE_RUN)


def test_console_pages_pass_axe_and_work_by_keyboard(browser, stack):
    ensure_counsellor(stack.assistant_db, "lotte", "Lotte")
    factory = factory_for(stack.assistant_db)
    request, _ = state.request_handoff(
        factory, f"web:axe-{random.randint(1, 10**9)}", "socketio", "fr", "misunderstood"
    )
    # bypass_csp: axe is injected as an inline script, which the console's CSP forbids.
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(f"{stack.console_url}/login")
        assert serious_violations(page) == []
        # Keyboard only: the username field has the focus; Tab, type, Enter.
        page.keyboard.type("lotte")
        page.keyboard.press("Tab")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Waiting citizens")).to_be_visible()
        row = page.locator(f'tr[data-handoff="{request.id}"]')
        expect(row).to_contain_text("FR")
        expect(row).to_contain_text("not understood twice")
        assert serious_violations(page) == []
        row.get_by_role("link", name="Details").click()
        expect(page.get_by_role("heading", name="Waiting citizen")).to_be_visible()
        assert serious_violations(page) == []
        page.get_by_role("button", name="Take this conversation").click()
        page.wait_for_url(f"**/handoffs/{request.id}")
        expect(page.get_by_role("button", name=t("canned_greeting", "fr"))).to_be_visible()
        assert serious_violations(page) == []
        page.get_by_label("Outcome").select_option("no_answer")
        page.get_by_role("button", name="Close the conversation").click()
        expect(page.get_by_role("status")).to_contain_text("closed")
        closed = queries.get_request(factory, request.id)
        assert closed.status == "closed" and closed.outcome == "no_answer"
    finally:
        context.close()

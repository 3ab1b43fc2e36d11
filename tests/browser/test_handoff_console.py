"""A citizen in the widget and a counsellor in the console, two real Chromium pages at once.

The citizen asks for a person half-way through the registration; the counsellor logs in,
sees the conversation arrive in the queue without reloading, takes it, reads the citizen's
messages live, answers with a canned reply, reveals the national number (audited), and
hands back; the citizen finishes the registration with the assistant.
"""

from __future__ import annotations

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
    console_context = browser.new_context(viewport=DESKTOP)
    console_context.set_default_timeout(30_000)
    console = console_context.new_page()
    console_errors: list[str] = []
    console.on("pageerror", lambda error: console_errors.append(str(error)))
    try:
        console_login(console, stack.console_url, "lotte")

        # The citizen registers, and asks for a person at the given-name question.
        number = national_number(date(1990, 3, 12), random.randint(1, 997))
        chat = new_chat(viewport=PHONE)
        chat.open_and_wait_for_greeting()
        chat.tap(t("button_register", NL), t("utter_ask_national_number", NL))
        chat.say(number, t("utter_ask_given_name", NL))
        before = chat.bot_count()
        chat.el(".jsc-handoff").click()
        chat.wait_for_bot(first_sentence("utter_handoff_requested"), after=before)
        session = chat.session_id()
        request = poll(
            lambda: rows(
                stack.assistant_db,
                "SELECT * FROM handoff_requests WHERE conversation_id = :c",
                c=session,
            )
        )
        assert request and request[0]["channel"] == "socketio"
        request_id = request[0]["id"]

        # The queue shows it without a reload (server-sent events), with its language.
        row = console.locator(f'tr[data-handoff="{request_id}"]')
        expect(row).to_be_visible(timeout=15_000)
        expect(row).to_contain_text("NL")
        row.get_by_role("button", name="Take").click()
        console.wait_for_url(f"**/handoffs/{request_id}")

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

        console.evaluate("() => document.activeElement && document.activeElement.blur()")
        console.evaluate("() => window.scrollTo(0, 0)")
        console.screenshot(path=str(screenshot_dir / "console-conversation.png"), full_page=True)

        # The national number is masked until revealed; the reveal is audited.
        digits = number.replace(".", "").replace("-", "")
        value = console.locator("#value-national_number")
        expect(value).not_to_contain_text(digits)
        console.get_by_role("button", name="Show").first.click()
        expect(value).to_have_text(digits)
        audit = rows(
            stack.assistant_db,
            "SELECT detail FROM audit_events WHERE action = 'personal_data_revealed' "
            "AND conversation_id = :c",
            c=session,
        )
        assert len(audit) == 1 and "national_number" in audit[0]["detail"]
        assert digits not in audit[0]["detail"]

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
        factory, f"axe-{random.randint(1, 10**9)}", "socketio", "fr", "misunderstood"
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
        row.get_by_role("button", name="Take").click()
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

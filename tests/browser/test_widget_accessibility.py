"""WCAG 2.2 AA checks of the widget in a real Chromium: axe-core, keyboard only, tap targets,
text size, screen reader labels, right-to-left, and one tag on another site.

axe-core (tests/browser/vendor/axe.min.js, MPL-2.0, from the npm package axe-core) is
injected into the page; the demo page's Content-Security-Policy is bypassed for that only.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import DESKTOP, PHONE, UI, VENDOR, Chat, allowed_site, t

pytestmark = pytest.mark.integration

NL = "nl"
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
  }));
}"""
# Every visible control in the widget, with its size.
CONTROLS = """() => {
  const root = document.querySelector("#jobseeker-chat").shadowRoot;
  return [...root.querySelectorAll("button, input")]
    .filter((node) => node.getClientRects().length > 0)
    .map((node) => {
      const box = node.getBoundingClientRect();
      return { name: node.textContent.trim() || node.className, width: box.width,
               height: box.height };
    });
}"""


def serious_violations(chat: Chat) -> list[dict[str, Any]]:
    if not chat.page.evaluate("typeof window.axe !== 'undefined'"):
        chat.page.add_script_tag(path=str(VENDOR / "axe.min.js"))
    violations = chat.page.evaluate(AXE_RUN)
    for violation in violations:  # shown with -rA / on failure: moderate ones too
        print(violation["impact"], violation["id"], violation["help"], violation["nodes"][:3])
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def rgb(css_colour: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", css_colour)[:3])


def contrast(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    def luminance(colour: tuple[int, ...]) -> float:
        channels = []
        for value in colour:
            value /= 255
            channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation(new_chat, viewport):
    chat = new_chat(viewport=viewport, bypass_csp=True)
    assert serious_violations(chat) == [], "closed: the page with the chat button"

    chat.open_and_wait_for_greeting()
    chat.say("hallo", t("utter_greet", NL))  # both speakers and answer buttons on screen
    chat.wait_until_idle()
    assert serious_violations(chat) == [], "open, with messages"

    chat.page.context.set_offline(True)
    expect(chat.status).to_contain_text(UI[NL]["offline"])
    chat.input.fill("12345")
    chat.input.press("Enter")
    expect(chat.el(".jsc-message--pending")).to_have_count(1)
    assert serious_violations(chat) == [], "offline, with a message waiting"
    chat.page.context.set_offline(False)


def test_keyboard_only_conversation(new_chat):
    chat = new_chat()
    page = chat.page

    # Tab to the chat button, Enter: the chat opens with the focus in the message box.
    chat.tab_to(lambda f: "jsc-launcher" in f.get("className", ""))
    page.keyboard.press("Enter")
    chat.wait_for_bot(t("utter_greet", NL))
    assert "jsc-input" in chat.focused()["className"]

    # Tab to the language button, Enter: the focus goes back to the message box.
    focused = chat.tab_to(lambda f: f.get("text") == "Nederlands")
    assert focused["outlineStyle"] == "solid" and focused["outlineWidth"] >= 2  # focus ring
    before = chat.bot_count()
    page.keyboard.press("Enter")
    chat.wait_for_bot(t("utter_language_switched", NL), after=before)
    assert "jsc-input" in chat.focused()["className"]

    # Type and Enter.
    before = chat.bot_count()
    page.keyboard.type("hallo")
    page.keyboard.press("Enter")
    chat.wait_for_bot(t("utter_greet", NL), after=before)
    assert "jsc-input" in chat.focused()["className"]

    # Tab to an answer button (Tab stays inside the open chat and wraps), Enter.
    register = t("button_register", NL)
    focused = chat.tab_to(
        lambda f: "jsc-answer" in f.get("className", "") and f.get("text") == register
    )
    assert focused["outlineStyle"] == "solid"
    before = chat.bot_count()
    page.keyboard.press("Enter")
    chat.wait_for_bot(t("utter_ask_national_number", NL), after=before)
    assert chat.user_texts()[-1] == register
    assert "jsc-input" in chat.focused()["className"]

    # Escape closes the chat and gives the focus back to the chat button.
    page.keyboard.press("Escape")
    expect(chat.el(".jsc-panel")).to_be_hidden()
    assert "jsc-launcher" in chat.focused()["className"]


def test_phone_tap_targets_text_size_and_full_screen(new_chat):
    chat = new_chat(viewport=PHONE)
    chat.open_and_wait_for_greeting()
    chat.wait_until_idle()

    too_small = [c for c in chat.page.evaluate(CONTROLS) if c["width"] < 44 or c["height"] < 44]
    assert too_small == []
    panel = chat.el(".jsc-panel").bounding_box()
    assert panel and panel["width"] == PHONE["width"] and panel["height"] == PHONE["height"]

    def text_px() -> float:
        bubble = chat.el(".jsc-message--bot .jsc-text").first
        return float(bubble.evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))

    assert text_px() >= 18
    bigger = chat.el(".jsc-tool--big")
    bigger.click()
    assert text_px() == 20
    chat.page.reload()
    assert text_px() == 20  # remembered
    smaller = chat.el(".jsc-tool").first
    smaller.click()
    smaller.click()
    assert text_px() == 16  # the smallest step
    expect(smaller).to_have_attribute("aria-disabled", "true")
    expect(smaller).to_be_focused()  # aria-disabled, not disabled: the focus is not lost
    smaller.press("Enter")
    assert text_px() == 16


def test_screen_reader_labels_and_live_region(new_chat):
    chat = new_chat()
    chat.open_and_wait_for_greeting()
    greeting = t("utter_greet", NL)

    dialog = chat.page.get_by_role("dialog", name="Digitale assistent")
    expect(dialog).to_be_visible()
    expect(chat.page.get_by_role("textbox", name="Uw bericht")).to_be_visible()
    expect(chat.page.get_by_role("region", name="Gesprek")).to_have_attribute("tabindex", "0")
    expect(chat.page.get_by_role("group", name="Taal · Langue · Language")).to_be_visible()
    expect(chat.page.get_by_role("status")).to_contain_text(UI[NL]["online"])

    live = chat.el(".jsc-live")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text(f"{UI[NL]['assistant']} {greeting}")
    expect(live).to_contain_text(t("button_register", NL))  # the answers are announced too

    chat.tap(t("button_register", NL), t("utter_ask_national_number", NL))
    expect(chat.el(".jsc-message--bot [data-speaker]").first).to_have_text(
        UI[NL]["assistant"] + " "
    )
    expect(chat.el(".jsc-message--user [data-speaker]").first).to_have_text(UI[NL]["you"] + " ")
    # The citizen's own messages are not announced; the history is not re-read on a reload.
    assert UI[NL]["you"] not in live.inner_text()
    chat.page.reload()
    expect(chat.el(".jsc-live")).to_have_text("")


AGENCY_PAGE = """<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>Agency</title>
<style>button {{ background: hotpink; font-size: 9px; }} * {{ letter-spacing: 3px; }}</style>
</head>
<body><main><h1>Agency</h1><p>Page of an agency, on another site.</p></main>
<script src="{rasa}/webhooks/webchat/widget.js" data-server-url="{rasa}"
        data-language="fr" data-primary-color="#ffcc00" defer></script>
</body></html>"""


def test_one_tag_on_another_site_right_to_left_with_a_light_brand_colour(
    new_chat, stack, serve_page
):
    # The agency's site is one of ALLOWED_ORIGINS (test_widget_privacy.py: any other gets
    # nothing).
    chat = new_chat(goto=False)
    site = allowed_site(stack.env, stack.rasa_url)
    chat.goto_site(site, serve_page(AGENCY_PAGE.format(rasa=stack.rasa_url)))
    chat.language = "fr"

    launcher = chat.launcher().bounding_box()
    assert launcher and launcher["x"] < DESKTOP["width"] / 2  # inline-end is the left in RTL
    chat.open_and_wait_for_greeting()  # in French: data-language is the assistant's hint
    chat.tap(t("button_register", "fr"), t("utter_ask_national_number", "fr"))

    user = chat.el(".jsc-message--user .jsc-bubble").last.bounding_box()
    bot = chat.el(".jsc-message--bot .jsc-bubble").last.bounding_box()
    assert user and bot and user["x"] < bot["x"]  # the citizen's messages on the left in RTL
    expect(chat.el(".jsc")).to_have_attribute("dir", "rtl")

    # The page's own CSS does not reach inside the widget.
    send = chat.el(".jsc-send")
    assert float(send.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 18
    # A brand colour too light for white text is darkened until it is readable (AA).
    background = rgb(send.evaluate("n => getComputedStyle(n).backgroundColor"))
    assert contrast(background, (255, 255, 255)) >= 4.5
    assert chat.storage()["sessionId"]  # the session is kept on the agency's site
    assert not chat.page_errors

"""Screenshots of the widget on a cheap phone's screen (360 × 740), one per language.

A test run writes them to a scratch folder; `make screenshots` writes them to
docs/screenshots/widget-<lang>.png for the README."""

from __future__ import annotations

import struct

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, UI, t

pytestmark = pytest.mark.integration

BLUR = """() => {
  let node = document.activeElement;
  while (node && node.shadowRoot && node.shadowRoot.activeElement) {
    node = node.shadowRoot.activeElement;
  }
  if (node) node.blur();
}"""


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_screenshot_in_each_language(new_chat, screenshot_dir, language):
    # Reduced motion: no smooth scrolling or blinking dots half-way in the picture.
    chat = new_chat(viewport=PHONE, device_scale_factor=2, reduced_motion="reduce")
    chat.open_and_wait_for_greeting()
    before = chat.bot_count()
    chat.language_button(language).click()
    chat.wait_for_bot(t("utter_language_switched", language), after=before)
    chat.language = language
    chat.wait_until_idle()
    expect(chat.input).to_have_attribute("placeholder", UI[language]["placeholder"])
    expect(chat.el(".jsc-handoff")).to_have_text(UI[language]["handoff"])
    chat.page.evaluate(BLUR)  # no focus ring in the picture

    path = screenshot_dir / f"widget-{language}.png"
    data = chat.page.screenshot(path=str(path))
    assert png_size(data) == (PHONE["width"] * 2, PHONE["height"] * 2)
    assert path.read_bytes() == data

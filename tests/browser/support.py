"""The chat widget as a test sees it: a thin page object over Playwright (sync API).

The widget lives in an open shadow root under `#jobseeker-chat`; Playwright's CSS and role
locators pierce open shadow roots, so the selectors below reach inside it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page

from bot.i18n.catalog import get_catalog
from bot.settings import SUPPORTED_LANGUAGES
from bot.validators import validate_national_number
from tests.support import t

VENDOR = Path(__file__).parent / "vendor"
# Debian's Chromium (scripts/ensure_chromium.sh installs it); CHROMIUM=... points elsewhere.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
BOT_TIMEOUT_MS = 45_000

# The widget's own words: the widget_* keys of the locale files, which widget.js loads from
# /webhooks/webchat/texts/<lang>.json. UI["nl"]["send"] is widget_send in nl.yml.
UI = {
    language: {
        key.removeprefix("widget_"): str(text)
        for key, text in get_catalog().texts[language].items()
        if key.startswith("widget_")
    }
    for language in SUPPORTED_LANGUAGES
}
# The language buttons show each language's own name (the same in every locale file).
LANGUAGE_NAMES = {code: get_catalog().texts[code][f"language_name_{code}"] for code in UI}

# Walks into shadow roots to the element that really has the focus.
DEEP_ACTIVE_ELEMENT = """() => {
  let node = document.activeElement;
  while (node && node.shadowRoot && node.shadowRoot.activeElement) {
    node = node.shadowRoot.activeElement;
  }
  if (!node) return null;
  const style = getComputedStyle(node);
  return {
    tag: node.tagName.toLowerCase(),
    className: String(node.className || ""),
    text: (node.textContent || "").trim(),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
  };
}"""

# True once a bot message at index >= `after` contains `text`.
BOT_SAID = """([text, after]) => {
  const host = document.querySelector("#jobseeker-chat");
  if (!host || !host.shadowRoot) return false;
  const items = [...host.shadowRoot.querySelectorAll(".jsc-message--bot .jsc-text")];
  return items.slice(after).some((node) => node.textContent.includes(text));
}"""


AGENCY_PAGE_PATH = "/agency/index.html"
WIDGET_TAG = """<script src="{rasa}/webhooks/webchat/widget.js" data-server-url="{rasa}"{data}
        defer></script>"""


def conversation_of(signed_session_id: str) -> str:
    """`web:<id>`: the conversation of a signed widget session id (`<id>.<signature>`)."""
    return "web:" + signed_session_id.split(".", 1)[0]


def widget_page(rasa_url: str, language: str = "nl", **data: str) -> str:
    """An agency's page with the widget's one tag; `idle_minutes="1"` gives
    `data-idle-minutes="1"`."""
    attributes = "".join(
        f' data-{name.replace("_", "-")}="{value}"' for name, value in data.items()
    )
    tag = WIDGET_TAG.format(rasa=rasa_url, data=attributes)
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f"<title>Agency</title></head><body><main><h1>Agency</h1></main>{tag}</body></html>"
    )


ALLOWED_ORIGINS_OF = (
    "import json; from bot.settings import load_settings; "
    "print(json.dumps(load_settings().allowed_origins))"
)


def allowed_site(stack_env: dict[str, str], rasa_url: str) -> str:
    """A site the stack's Rasa server lets embed the widget: an origin of ALLOWED_ORIGINS as
    that server reads it (with its environment), other than its own."""
    found = subprocess.run(
        [sys.executable, "-c", ALLOWED_ORIGINS_OF],
        env={**os.environ, **stack_env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    origins = json.loads(found.stdout)
    others = [origin for origin in origins if origin != rasa_url]
    assert others, f"the stack allows no other site than its own: {origins}"
    return others[0]


def national_number(birth: date, serial: int) -> str:
    """A valid Belgian national register number for `birth` (YY.MM.DD-SSS.CC, as printed)."""
    base = f"{birth:%y%m%d}{serial:03d}"
    check = 97 - int(("2" if birth.year >= 2000 else "") + base) % 97
    number = f"{base}{check:02d}"
    assert validate_national_number(number).ok, number
    return f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"


@dataclass
class Chat:
    """One citizen's browser tab with the demo page."""

    page: Page
    rasa_url: str
    language: str = "nl"
    page_errors: list[str] = field(default_factory=list)

    @property
    def demo_url(self) -> str:
        return f"{self.rasa_url}/webhooks/webchat/"

    def goto(self, url: str | None = None) -> Chat:
        self.page.goto(url or self.demo_url)
        self.page.locator("#jobseeker-chat").wait_for(state="attached")
        return self

    # --- parts of the widget
    def el(self, selector: str) -> Locator:
        return self.page.locator(f"#jobseeker-chat {selector}")

    @property
    def input(self) -> Locator:
        return self.el(".jsc-input")

    @property
    def status(self) -> Locator:
        return self.el(".jsc-status")

    def launcher(self) -> Locator:
        return self.page.get_by_role("button", name=UI[self.language]["launcher"], exact=True)

    def answer_button(self, title: str) -> Locator:
        return self.el(".jsc-answers").get_by_role("button", name=title, exact=True)

    def language_button(self, code: str) -> Locator:
        return self.el(".jsc-languages").get_by_role("button", name=LANGUAGE_NAMES[code])

    # --- reading
    def bot_count(self) -> int:
        return self.el(".jsc-message--bot").count()

    def bot_texts(self) -> list[str]:
        return self.el(".jsc-message--bot .jsc-text").all_text_contents()

    def user_texts(self) -> list[str]:
        return self.el(".jsc-message--user .jsc-text").all_text_contents()

    def wait_for_bot(self, text: str, after: int = 0, timeout: float = BOT_TIMEOUT_MS) -> None:
        try:
            self.page.wait_for_function(BOT_SAID, arg=[text, after], timeout=timeout)
        except Exception as error:
            raise AssertionError(
                f"the assistant never said {text!r}; it said:\n" + "\n".join(self.bot_texts())
            ) from error

    def wait_until_online(self) -> None:
        self.status.filter(has_text=UI[self.language]["online"]).wait_for(timeout=BOT_TIMEOUT_MS)

    def wait_until_idle(self, timeout: float = BOT_TIMEOUT_MS) -> None:
        """Nothing queued or on its way (the typing indicator is gone)."""
        self.el(".jsc-typing").wait_for(state="hidden", timeout=timeout)

    def storage(self, area: str = "sessionStorage") -> dict[str, Any]:
        """What the widget keeps in the page's `area` (sessionStorage unless data-persist
        is "local")."""
        raw = self.page.evaluate(
            "([area, key]) => window[area].getItem(key)", [area, self.storage_key]
        )
        return json.loads(raw or "{}")

    @property
    def storage_key(self) -> str:
        return f"jobseeker-chat:v1:{self.rasa_url}"

    def session_id(self, area: str = "sessionStorage") -> str:
        """The signed session id the widget keeps (`<id>.<signature>`)."""
        return self.storage(area)["sessionId"]

    def conversation_id(self, area: str = "sessionStorage") -> str:
        """The widget's conversation in Rasa: `web:<id>` of its signed session id."""
        return conversation_of(self.session_id(area))

    def goto_site(self, origin: str, page_url: str) -> Chat:
        """Open the page that `page_url` serves (a real local server: the `serve_page`
        fixture) as a page of the site `origin`, an agency's site. The browser fetches it
        from that server (Chromium lets only a page it got from loopback reach the loopback
        servers of the stack); its origin, for the page and for the servers, is `origin`."""
        url = f"{origin.rstrip('/')}{AGENCY_PAGE_PATH}"
        self.page.route(url, lambda route: route.continue_(url=page_url))
        return self.goto(url)

    def focused(self) -> dict[str, Any]:
        return self.page.evaluate(DEEP_ACTIVE_ELEMENT) or {}

    # --- acting
    def open(self) -> None:
        self.launcher().click()
        self.el(".jsc-panel").wait_for(state="visible")

    def open_and_wait_for_greeting(self) -> None:
        self.open()
        self.wait_for_bot(t("utter_greet", self.language))

    def say(self, text: str, expect: str) -> None:
        """Type `text`, press Enter, wait until the assistant says `expect`."""
        before = self.bot_count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_for_bot(expect, after=before)

    def tap(self, title: str, expect: str) -> None:
        """Tap the answer button `title`, wait until the assistant says `expect`."""
        before = self.bot_count()
        self.answer_button(title).click()
        self.wait_for_bot(expect, after=before)

    def tab_to(self, predicate: Any, backwards: bool = False, limit: int = 40) -> dict[str, Any]:
        """Press Tab (or Shift+Tab) until the focused element matches; fail after `limit`."""
        key = "Shift+Tab" if backwards else "Tab"
        seen = []
        for _ in range(limit):
            self.page.keyboard.press(key)
            focused = self.focused()
            seen.append(focused.get("text") or focused.get("className"))
            if predicate(focused):
                return focused
        raise AssertionError(f"{key} never reached the element; focus went through {seen}")


def reference_in(texts: list[str]) -> str | None:
    for text in reversed(texts):
        found = re.search(r"\bJS-[A-Za-z0-9-]+[A-Za-z0-9]", text)
        if found:
            return found.group(0)
    return None


def poll(check: Any, timeout: float = 30.0, interval: float = 0.25) -> Any:
    """Call `check` until it returns something truthy (outside the page)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)

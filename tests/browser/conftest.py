"""Fixtures for the widget tests in a real Chromium (Debian's, never a downloaded one).

`chromium` runs scripts/ensure_chromium.sh once per session and FAILS the tests (never skips
them silently) when no browser can be had. `browser` is one headless Chromium per test
module, driven by Playwright's sync API; `new_chat` opens a fresh browser context (own
storage, own conversation) with the demo page of the running stack.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from bot.settings import PROJECT_ROOT
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DESKTOP, Chat

ENSURE_CHROMIUM = PROJECT_ROOT / "scripts" / "ensure_chromium.sh"


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshot tests write: a scratch folder, so that a test run leaves the
    working tree alone. `make screenshots` sets SCREENSHOTS_DIR=docs/screenshots to
    refresh the README's pictures."""
    configured = os.environ.get("SCREENSHOTS_DIR")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def chromium() -> str:
    result = subprocess.run(
        ["bash", str(ENSURE_CHROMIUM)], capture_output=True, text=True, timeout=900
    )
    if result.returncode != 0 or not Path(CHROMIUM).exists():
        pytest.fail(
            "The browser tests need Chromium at "
            f"{CHROMIUM}; scripts/ensure_chromium.sh could not provide it:\n"
            f"{result.stderr.strip() or result.stdout.strip()}",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def new_chat(browser: Browser, stack) -> Iterator[Callable[..., Chat]]:
    """new_chat(viewport=..., **context_options) -> a Chat on the demo page, not yet opened."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] | None = None, goto: bool = True, **options) -> Chat:
        context = browser.new_context(viewport=viewport or DESKTOP, **options)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        chat = Chat(page, stack.rasa_url)
        page.on("pageerror", lambda error: chat.page_errors.append(str(error)))
        return chat.goto() if goto else chat

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def serve_page() -> Iterator[Callable[[str], str]]:
    """serve_page(html) -> the URL of a page of "an agency" on another origin (its own port).

    A real local server rather than a Playwright route: Chromium lets a page reach a
    loopback server (the assistant) only from a page that is itself on loopback.
    """
    servers: list[ThreadingHTTPServer] = []

    def serve(html: str) -> str:
        body = html.encode()

        class Page(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()

"""Fixtures: fake Bot APIs and the whole assistant with the Telegram channel switched on.

The stack runs in polling mode (a token, no public URL), like `make run` on a laptop; the
webhook endpoint is open in that mode too, so both ways in are tested on one Rasa server.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support import environment, start_stack
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.helpers import SECRET, TOKEN, Citizen, TelegramStack

POLL_TIMEOUT_SECONDS = 3


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    """A fake Bot API of its own, for a test of the channel alone."""
    fake = FakeBotApi(TOKEN).start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeBotApi]:
    api = FakeBotApi(TOKEN).start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def telegram_stack(trained_test_model, tmp_path_factory, fake_telegram) -> Iterator[TelegramStack]:
    values = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": fake_telegram.base_url,
        "TELEGRAM_POLL_TIMEOUT": str(POLL_TIMEOUT_SECONDS),
    }
    with environment(values, remove=("TELEGRAM_PUBLIC_URL",)):
        stack = start_stack(tmp_path_factory.mktemp("telegram-stack"), trained_test_model)
    try:
        fake_telegram.wait_for(
            lambda: fake_telegram.recorded("getUpdates"), 60, what="polling to start"
        )
        yield TelegramStack(
            fake_telegram,
            stack.rasa_url,
            stack.sandbox_db,
            stack.assistant_db,
            stack.root / "logs",
            stack.console_url,
            stack.api_token,
        )
    finally:
        stack.stop()
        if os.environ.get("SHOW_STACK_LOGS"):
            for log in sorted((stack.root / "logs").glob("*.log")):
                print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def citizen(telegram_stack) -> Citizen:
    """A new chat whose Telegram app is in Dutch."""
    return Citizen(telegram_stack, language_code="nl")

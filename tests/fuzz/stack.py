"""The servers to fuzz: the whole assistant (tests.support.start_stack) with the Telegram
channel on against a fake Bot API, a counsellor logged in to the console, and one
citizen waiting for a counsellor (so that the console's conversation pages exist)."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.console_client import Counsellor, ensure_counsellor
from tests.fuzz.memory_guard import MemoryGuard
from tests.support import Stack, environment, rows, start_stack
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.helpers import SECRET, TOKEN

COUNSELLOR = "fuzz.counsellor"


@dataclass
class FuzzStack:
    stack: Stack
    telegram: FakeBotApi
    telegram_secret: str
    console_cookie: str  # the counsellor's session cookie
    console_csrf: str
    handoff_id: int
    guard: MemoryGuard
    telegram_env: dict[str, str]

    @property
    def rasa(self) -> tuple[str, int]:
        return _host_port(self.stack.rasa_url)

    @property
    def console(self) -> tuple[str, int]:
        return _host_port(self.stack.console_url)

    def check_alive(self) -> None:
        """Raises when a server process has died or was stopped for its memory."""
        if self.guard.findings:
            raise RuntimeError("; ".join(self.guard.findings))
        self.stack.group.check_alive()

    def ensure_running(self) -> bool:
        """Start Rasa again when an earlier run stopped it or left it too busy to answer
        (each endpoint is judged on its own); True when it had to."""
        rasa = self.stack.group.processes.get("rasa")
        alive = rasa is not None and rasa.poll() is None and not self.guard.findings
        if alive and _answers(f"{self.stack.rasa_url}/webhooks/rest/"):
            return False
        if rasa is not None and rasa.poll() is None:
            # Too busy to answer is also too busy to stop on SIGTERM (a CPU-bound NLU call).
            MemoryGuard.kill(rasa)
            rasa.wait(timeout=30)
        self.guard.findings.clear()
        with environment(self.telegram_env, remove=("TELEGRAM_PUBLIC_URL",)):
            self.stack.restart_rasa()
        return True


def _answers(url: str, timeout: float = 10) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


@contextmanager
def fuzz_stack(workdir: Path, model: Path) -> Iterator[FuzzStack]:
    """Start everything, prepare the console, yield; stop everything afterwards."""
    api = FakeBotApi(TOKEN).start()
    values = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_POLL_TIMEOUT": "3",
    }
    stack = guard = None
    try:
        with environment(values, remove=("TELEGRAM_PUBLIC_URL",)):
            stack = start_stack(workdir, model)
        guard = MemoryGuard(stack.group.processes).start()
        handoff_id = _waiting_citizen(stack)
        ensure_counsellor(stack.assistant_db, COUNSELLOR, "Fuzz")
        counsellor = Counsellor(stack.console_url, COUNSELLOR).login()
        counsellor.take(handoff_id)
        cookie = counsellor.http.cookies.get("console_session") or ""
        yield FuzzStack(stack, api, SECRET, cookie, counsellor.csrf, handoff_id, guard, values)
    finally:
        if guard is not None:
            guard.stop()
        if stack is not None:
            stack.stop()
        api.stop()


def _waiting_citizen(stack: Stack) -> int:
    """A citizen on the REST channel who asked for a counsellor; the request's id."""
    chat = stack.chat(f"fuzz-waiting-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "nl"}')
    chat.send("/human_handoff")
    found = rows(
        stack.assistant_db,
        "SELECT id FROM handoff_requests WHERE conversation_id = :c ORDER BY id DESC",
        c=chat.conversation_id,
    )
    assert found, f"no handoff request was recorded:\n{chat.dump()}"
    return int(found[0]["id"])

"""What a stranger must never get back: internals in an error answer, or no answer in time.

An error answer (4xx or 5xx) may say what was wrong in plain words; it must not show a
traceback, a file path of the server, SQL, or the class name of an exception. A value the
request itself carried and the answer repeats is an echo, not a leak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tests.fuzz.http_client import Answer

LEAK_PATTERNS: dict[str, re.Pattern[str]] = {
    "traceback": re.compile(r"Traceback \(most recent call last\)|^\s+File \"", re.MULTILINE),
    "file path": re.compile(
        r"(?:/(?:usr|home|root|work|opt|srv|app|tmp|var)/[\w.@+-]+(?:/[\w.@+-]+)*\.py\b)"
        r"|site-packages|dist-packages|\.py\", line \d+"
    ),
    "sql": re.compile(
        r"\b(?:SELECT\s+[\w*.,\s]+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b"
        r"|sqlite3\.|psycopg2|sqlalchemy|OperationalError|IntegrityError",
        re.IGNORECASE,
    ),
    "exception class": re.compile(
        r"\b[A-Z][A-Za-z0-9]*(?:Error|Exception)\b|\b(?:KeyboardInterrupt|StopIteration)\b"
    ),
}
# Words in ordinary error pages that look like an exception class name but are not one.
ALLOWED_WORDS = frozenset({"ServerError", "ClientError"})


def leaks(text: str, sent: str = "") -> list[str]:
    """What in `text` shows internals (kinds and matches), ignoring echoes of `sent`."""
    found = []
    for kind, pattern in LEAK_PATTERNS.items():
        for match in pattern.finditer(text):
            shown = match.group(0)
            if shown in ALLOWED_WORDS or (shown and shown in sent):
                continue
            found.append(f"{kind}: {shown.strip()[:80]!r}")
    return found


@dataclass
class Outcome:
    """One case: what was sent, what came back, what was wrong with it."""

    endpoint: str
    index: int
    kind: str  # the shape of the case ("valid body", "broken json", ...)
    status: int | str  # HTTP status, or a socket.io summary
    seconds: float
    problems: list[str] = field(default_factory=list)
    sent: dict[str, Any] = field(default_factory=dict)
    answer_preview: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def judge_http(answer: Answer, sent_text: str, bound: float) -> list[str]:
    """The problems with one HTTP answer."""
    problems = []
    if answer.status is None:
        problems.append(
            f"no answer ({answer.problem or 'unreadable'}) after {answer.seconds:.1f} s"
        )
    elif answer.seconds > bound:
        problems.append(f"answered after {answer.seconds:.1f} s (bound {bound:.0f} s)")
    if answer.status is not None and answer.status >= 400:
        shown = leaks(answer.text, sent_text)
        if shown:
            problems.append(f"{answer.status} shows internals: " + "; ".join(shown[:3]))
    return problems

"""How many names that look like words does the assistant accept? (at least 95 %)

Each name of `tests/fixtures/word_like_names.yml` is parsed by the running Rasa server
(`/model/parse`, the real NLU), then read the way the form reads it while it waits for a
first or family name (`bot.understanding.decide` and the name validator). Accepted
means: taken as the answer at once, without the "is that your name?" question.
"""

from __future__ import annotations

import pytest
import yaml

from bot.settings import PROJECT_ROOT
from bot.understanding.answers import name_answer
from bot.understanding.decision import Kind, Message, decide

pytestmark = pytest.mark.integration
NAMES = yaml.safe_load(
    (PROJECT_ROOT / "tests" / "fixtures" / "word_like_names.yml").read_text(encoding="utf-8")
)
MIN_ACCEPTED = 0.95


def accepted(stack, name: str, slot: str, language: str) -> bool:
    parsed = stack.api("/model/parse", {"text": name})
    decision = decide(slot, Message.from_parse_data(parsed), language)
    return decision.kind is Kind.ANSWER and name_answer(name) is not None


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_word_like_names_are_accepted(stack, language):
    tried, refused = 0, []
    for slot in ("given_name", "family_name"):
        for name in NAMES[language][slot]:
            tried += 1
            if not accepted(stack, name, slot, language):
                refused.append((slot, name))
    rate = 1 - len(refused) / tried
    print(f"{language}: {rate:.3f} of {tried} word-like names accepted; refused: {refused}")
    assert rate >= MIN_ACCEPTED, refused

"""Command words: the short phrases that unmistakably ask the assistant to do something.

"stop", "hulp", "aide", "English", "merci", "bonjour": a citizen who types one of these
alone is (almost always) giving a command, not an answer. The list is not written here:
it is read from the training data (the short examples of each command intent) and from
the button titles of the locale files, so trainers and translators keep one list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from bot.i18n.catalog import get_catalog
from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES
from bot.understanding import keywords
from bot.understanding.keywords import normalise

# Intents that interrupt a form instead of answering its question.
CONTROL_INTENTS = frozenset(
    {
        "help",
        "repeat",
        "stop",
        "human_handoff",
        "switch_language",
        "bot_challenge",
        "greet",
        "goodbye",
        "thank",
        "change_answer",
        "forget_me",
        "forget_me_confirmed",
    }
)
# Intents that only a button sends: no citizen types them, the NLU never learns them.
BUTTON_ONLY_INTENTS = frozenset({"forget_me_confirmed"})
# A training example this short (in words) is a command phrase.
MAX_COMMAND_WORDS = 3
# When a phrase belongs to several intents (French "salut" greets and says goodbye),
# the first of these wins.
PRECEDENCE = (
    "forget_me_confirmed",
    "forget_me",
    "stop",
    "human_handoff",
    "help",
    "repeat",
    "switch_language",
    "change_answer",
    "bot_challenge",
    "goodbye",
    "greet",
    "thank",
)
_ANNOTATION = re.compile(r"\[([^\]]+)\](\{[^}]*\}|\([^)]*\))")
_ENTITY_VALUE = re.compile(r'"value"\s*:\s*"([^"]+)"')


@dataclass(frozen=True)
class Command:
    intent: str
    entities: dict[str, str] = field(default_factory=dict)


def _strip_annotations(example: str) -> tuple[str, dict[str, str]]:
    """`in het [frans]{"entity": "language", "value": "fr"}` -> text and entities."""
    entities: dict[str, str] = {}
    for match in _ANNOTATION.finditer(example):
        text, spec = match.group(1), match.group(2)
        if spec.startswith("("):
            entities[spec[1:-1]] = text
        else:
            name = re.search(r'"entity"\s*:\s*"([^"]+)"', spec)
            value = _ENTITY_VALUE.search(spec)
            if name:
                entities[name.group(1)] = value.group(1) if value else text
    return _ANNOTATION.sub(lambda m: m.group(1), example), entities


def _training_examples(language: str) -> list[tuple[str, str]]:
    """(intent, example) pairs of every file in data/nlu/<language>/."""
    pairs = []
    for path in sorted((PROJECT_ROOT / "data" / "nlu" / language).glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in content.get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    pairs.append((str(item["intent"]), line[2:].strip()))
    return pairs


@lru_cache(maxsize=1)
def command_phrases() -> dict[str, Command]:
    """Normalised phrase -> the command it gives, for every language at once."""
    found: dict[str, list[Command]] = {}
    for language in SUPPORTED_LANGUAGES:
        for intent, example in _training_examples(language):
            if intent not in CONTROL_INTENTS:
                continue
            text, entities = _strip_annotations(example)
            if "language" in entities:  # "[frans](language)" -> "fr"
                entities["language"] = keywords.match("language", entities["language"]) or ""
            phrase = normalise(text)
            if phrase and len(phrase.split()) <= MAX_COMMAND_WORDS:
                found.setdefault(phrase, []).append(Command(intent, entities))
    catalog = get_catalog()
    for language in SUPPORTED_LANGUAGES:
        for code in SUPPORTED_LANGUAGES:
            label = catalog.texts[language].get(f"language_name_{code}")
            if label:
                found.setdefault(normalise(label), []).append(
                    Command("switch_language", {"language": code})
                )
        person = catalog.texts[language].get("button_person")
        if person:
            found.setdefault(normalise(person), []).append(Command("human_handoff"))
    return {
        phrase: min(commands, key=lambda c: PRECEDENCE.index(c.intent))
        for phrase, commands in found.items()
    }


def known_command(text: str) -> Command | None:
    """The command given by `text` when it is exactly a known command phrase."""
    return command_phrases().get(normalise(text))

"""Loads the locale files and renders a response in a language."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.i18n.buttons import LANGUAGES, RESPONSE_BUTTONS
from bot.settings import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# Answers that, before a language is chosen, become the choice of language itself.
LANGUAGE_CHOICE_KEYS = ("utter_greet", "utter_choose_language", "utter_help")
_FIELD = re.compile(r"\{([a-z_]+)\}")


class _Blank(dict):
    """format_map helper: a missing variable renders as nothing, never as '{name}'."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Catalog:
    """All texts, per language, keyed by response name or label key."""

    texts: dict[str, dict[str, str]]

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> Catalog:
        texts = {}
        for language in SUPPORTED_LANGUAGES:
            path = directory / f"{language}.yml"
            texts[language] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(texts)

    def has(self, key: str, language: str | None = None) -> bool:
        return key in self.texts.get(language or DEFAULT_LANGUAGE, {})

    def text(self, key: str, language: str, **variables: Any) -> str:
        """The text of `key` in `language` (falling back to the default language)."""
        language = language if language in self.texts else DEFAULT_LANGUAGE
        template = self.texts[language].get(key)
        if template is None:
            template = self.texts[DEFAULT_LANGUAGE].get(key, "")
        values = _Blank({k: "" if v is None else v for k, v in variables.items()})
        return string.Formatter().vformat(str(template), (), values).strip()

    def label(self, key: str, language: str) -> str:
        return self.text(key, language)

    def placeholders(self, key: str, language: str) -> set[str]:
        return set(_FIELD.findall(self.texts[language].get(key, "")))

    def render(self, key: str, language: str | None, **variables: Any) -> dict[str, Any]:
        """A Rasa NLG answer: `{"text": ..., "buttons": [...]}`."""
        if language not in SUPPORTED_LANGUAGES:
            return self._render_language_choice(key, **variables)
        buttons = [
            {"title": self.label(title_key, language), "payload": payload}
            for payload, title_key in RESPONSE_BUTTONS.get(key, [])
        ]
        extra = variables.pop("buttons", None)
        if extra:
            buttons = [*extra, *buttons]
        return {"text": self.text(key, language, **variables), "buttons": buttons}

    def language_buttons(self) -> list[dict[str, str]]:
        return [
            {"title": self.label(title_key, DEFAULT_LANGUAGE), "payload": payload}
            for payload, title_key in LANGUAGES
        ]

    def _render_language_choice(self, key: str, **variables: Any) -> dict[str, Any]:
        """No language chosen yet: the choice first, then the answer with language buttons.

        A greeting (or a call for help) greets in every language; any other answer is
        given in the default language, followed by the language buttons.
        """
        if key in LANGUAGE_CHOICE_KEYS:
            lines = [self.text("utter_choose_language", lang) for lang in SUPPORTED_LANGUAGES]
            return {"text": "\n".join(lines), "buttons": self.language_buttons()}
        answer = self.render(key, DEFAULT_LANGUAGE, **variables)
        return {**answer, "buttons": [*answer["buttons"], *self.language_buttons()]}


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    return Catalog.load()


def render(key: str, language: str | None, **variables: Any) -> dict[str, Any]:
    return get_catalog().render(key, language, **variables)

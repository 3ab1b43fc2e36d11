"""Rasa's NLG endpoint: renders a response name in the conversation's language.

Rasa posts `{"response": name, "arguments": {...}, "tracker": {...}, "channel": {...}}`
and expects `{"text": ..., "buttons": [...]}`.
"""

from __future__ import annotations

from typing import Any

from bot.i18n.catalog import Catalog, get_catalog
from bot.settings import SUPPORTED_LANGUAGES

# Variables a template may use from the conversation's slots (never personal numbers).
SAFE_SLOT_VARIABLES = ("given_name",)
# Every slot that rendering reads: the language ones, then the variables.
LANGUAGE_SLOTS = ("language", "detected_language")
SLOTS_READ = LANGUAGE_SLOTS + SAFE_SLOT_VARIABLES


def conversation_language(slots: dict[str, Any]) -> str | None:
    """The language chosen by the citizen, else the one detected in their writing."""
    for name in LANGUAGE_SLOTS:
        value = slots.get(name)
        if value in SUPPORTED_LANGUAGES:
            return value
    return None


def respond(body: dict[str, Any], catalog: Catalog | None = None) -> dict[str, Any]:
    """The NLG answer for one request body; never raises on odd input."""
    catalog = catalog or get_catalog()
    name = str(body.get("response") or body.get("template") or "")
    arguments = dict(body.get("arguments") or {})
    # Rasa appends buttons an action passed itself; rendering them again would double them.
    for key in ("buttons", "text", "image", "elements", "attachment", "custom", "template"):
        arguments.pop(key, None)
    slots = (body.get("tracker") or {}).get("slots") or {}
    language = conversation_language(slots)
    variables = {k: slots.get(k) for k in SAFE_SLOT_VARIABLES if slots.get(k)}
    variables.update(arguments)
    return catalog.render(name, language, **variables)

"""The widget's own words, from the locale files: /webhooks/webchat/texts/<lang>.json.

widget.js carries no text of its own. Its labels, buttons, status and error messages are
the `widget_*` keys of `bot/i18n/locales/<lang>.yml` (translators edit them there, next to
the assistant's answers); the names on its language buttons are the `language_name_*` keys,
the same names the assistant's own language buttons show. This module serves those keys,
and only those, as one flat JSON object per language:

    {"language_name_en": "English", ..., "widget_close": "Sluiten", ...}

A key missing in a language is given in English; a language the server does not have is a
404, and the widget then loads English instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED

from bot.i18n.catalog import Catalog
from channels.webchat.http_cache import cached
from channels.webchat.static_files import CACHE_WIDGET

WIDGET_PREFIX = "widget_"
LANGUAGE_NAME_PREFIX = "language_name_"
FALLBACK_LANGUAGE = "en"
CONTENT_TYPE = "application/json; charset=utf-8"
_FILE_NAME = re.compile(r"([a-z]{2})\.json")


def widget_keys(catalog: Catalog) -> list[str]:
    """The keys the widget uses: every `widget_*` and `language_name_*` key of English."""
    english = catalog.texts.get(FALLBACK_LANGUAGE, {})
    return sorted(k for k in english if k.startswith((WIDGET_PREFIX, LANGUAGE_NAME_PREFIX)))


def widget_texts(catalog: Catalog, language: str) -> dict[str, str]:
    """The widget's texts in `language`, each one missing there taken from English."""
    english = catalog.texts.get(FALLBACK_LANGUAGE, {})
    own = catalog.texts.get(language, {})
    return {key: str(own.get(key) or english[key]) for key in widget_keys(catalog)}


def language_of(file_name: str) -> str | None:
    """`"fr.json"` -> `"fr"`; anything else -> None."""
    found = _FILE_NAME.fullmatch(file_name)
    return found.group(1) if found else None


@dataclass
class WidgetTexts:
    """The JSON bodies, one per language of the catalog, made once and kept."""

    catalog: Catalog
    _bodies: dict[str, bytes] = field(default_factory=dict)

    def body(self, language: str) -> bytes | None:
        if language not in self.catalog.texts:
            return None
        if language not in self._bodies:
            texts = widget_texts(self.catalog, language)
            self._bodies[language] = json.dumps(
                texts, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ).encode("utf-8")
        return self._bodies[language]


def cors_headers(origin: str | None, allowed: Collection[str]) -> dict[str, str]:
    """Only the pages of the allowed sites may read the texts (the agencies that embed the
    widget): their origin is sent back; any other gets no Access-Control-Allow-Origin.
    `Vary: Origin` always, so that a cache never hands one site's answer to another."""
    headers = {"Vary": "Origin"}
    if origin and origin in allowed:
        headers["Access-Control-Allow-Origin"] = origin
    return headers


def serve_texts(request: Request, body: bytes, allowed_origins: Collection[str]) -> HTTPResponse:
    # Rasa's own CORS set-up (`rasa run --cors ...`) would add a second
    # Access-Control-Allow-Origin, which browsers reject; marking the request as handled
    # makes sanic-cors leave this answer alone.
    setattr(request.ctx, SANIC_CORS_EVALUATED, True)
    headers = {"Cache-Control": CACHE_WIDGET}
    headers.update(cors_headers(request.headers.get("origin"), allowed_origins))
    return cached(request, body, CONTENT_TYPE, headers)

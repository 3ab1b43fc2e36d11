"""GET /webhooks/webchat/texts/<lang>.json: the widget's words, from the locale files.

The pure parts (which keys, the English fallback, the file name) are tested directly; the
route runs in a real Sanic server in this process (no Rasa), once as `rasa run` serves it
without `--cors` (the test stack) and once with `--cors "*"` (production), where Rasa's CORS
set-up must not add a second Access-Control-Allow-Origin.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
import pytest
from rasa.server import configure_cors
from sanic import Sanic

from bot.i18n.catalog import Catalog
from bot.settings import SUPPORTED_LANGUAGES
from channels.webchat import WebchatInput
from channels.webchat.texts import (
    FALLBACK_LANGUAGE,
    LANGUAGE_NAME_PREFIX,
    WIDGET_PREFIX,
    WidgetTexts,
    language_of,
    widget_texts,
)
from tests.support import serve_blueprint

CATALOG = Catalog.load()
PREFIX = "/webhooks/webchat"
OTHER_SITE = "https://agency.example.be"
UNKNOWN_SITE = "https://elsewhere.example.com"


def catalog_without(language: str, key: str) -> Catalog:
    texts = {lang: dict(values) for lang, values in CATALOG.texts.items()}
    del texts[language][key]
    return Catalog(texts)


# --- which texts


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_the_widget_gets_its_keys_and_only_those(language):
    texts = widget_texts(CATALOG, language)
    assert all(key.startswith((WIDGET_PREFIX, LANGUAGE_NAME_PREFIX)) for key in texts)
    assert {k for k in CATALOG.texts[language] if k.startswith(WIDGET_PREFIX)} <= set(texts)
    assert texts["widget_send"] == CATALOG.texts[language]["widget_send"]
    assert texts[f"{LANGUAGE_NAME_PREFIX}fr"] == "Français"
    assert "utter_greet" not in texts


def test_a_text_missing_in_a_language_is_given_in_english():
    catalog = catalog_without("fr", "widget_send")
    texts = widget_texts(catalog, "fr")
    assert texts["widget_send"] == CATALOG.texts[FALLBACK_LANGUAGE]["widget_send"]
    assert texts["widget_close"] == CATALOG.texts["fr"]["widget_close"]


@pytest.mark.parametrize(
    ("file_name", "language"),
    [
        ("fr.json", "fr"),
        ("nl.json", "nl"),
        ("fr.js", None),
        ("FR.json", None),
        ("fra.json", None),
        ("fr.json.bak", None),
        ("..fr.json", None),
        ("fr.yml", None),
        ("", None),
    ],
)
def test_the_file_name_names_a_language(file_name, language):
    assert language_of(file_name) == language


def test_the_body_is_compact_utf8_json_and_unknown_languages_have_none():
    texts = WidgetTexts(CATALOG)
    body = texts.body("fr")
    assert body is not None and "Français".encode() in body  # not \u escaped
    assert json.loads(body) == widget_texts(CATALOG, "fr")
    assert texts.body("fr") is body  # made once
    assert texts.body("de") is None


# --- the route, in a real server


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


@asynccontextmanager
async def served(channel: WebchatInput, cors: str | None) -> AsyncIterator[str]:
    """The channel's blueprint in a Sanic server, with Rasa's CORS set-up when `cors`."""

    async def on_new_message(_message) -> None:
        return None

    def with_rasa_cors(app: Sanic) -> None:
        configure_cors(app, cors)  # as `rasa run --cors ...` does, before the channels

    configure = with_rasa_cors if cors is not None else None
    async with serve_blueprint(channel.blueprint(on_new_message), PREFIX, configure) as url:
        yield url


async def fetch(url: str, method: str = "GET", **headers: str) -> Answer:
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, url, headers=headers) as answer,
    ):
        raw = [(k.decode(), v.decode()) for k, v in answer.raw_headers]
        return Answer(answer.status, raw, await answer.read())


async def test_the_texts_are_served_as_cacheable_json():
    async with served(WebchatInput(allowed_origins=(OTHER_SITE,)), cors=None) as base:
        answer = await fetch(f"{base}/texts/nl.json")
        assert answer.status == 200
        assert answer.header("Content-Type") == "application/json; charset=utf-8"
        assert json.loads(answer.body) == widget_texts(CATALOG, "nl")
        assert "max-age=300" in answer.header("Cache-Control")
        assert answer.header("ETag").startswith('"')
        assert answer.header("X-Content-Type-Options") == "nosniff"

        again = await fetch(f"{base}/texts/nl.json", **{"If-None-Match": answer.header("ETag")})
        assert again.status == 304 and again.body == b""

        head = await fetch(f"{base}/texts/nl.json", method="HEAD")
        assert head.status == 200 and head.body == b""
        assert head.header("Content-Length") == str(len(answer.body))


async def test_only_an_allowed_site_may_read_them_and_caches_keep_sites_apart():
    async with served(WebchatInput(allowed_origins=(OTHER_SITE,)), cors=None) as base:
        allowed = await fetch(f"{base}/texts/nl.json", Origin=OTHER_SITE)
        assert allowed.all("Access-Control-Allow-Origin") == [OTHER_SITE]
        assert allowed.header("Vary") == "Origin"
        # A revalidation from that site may use its copy: the 304 allows it too.
        again = await fetch(
            f"{base}/texts/nl.json", Origin=OTHER_SITE, **{"If-None-Match": allowed.header("ETag")}
        )
        assert again.status == 304 and again.all("Access-Control-Allow-Origin") == [OTHER_SITE]

        for origin in (UNKNOWN_SITE, OTHER_SITE + ".evil.example", "null"):
            refused = await fetch(f"{base}/texts/nl.json", Origin=origin)
            assert refused.status == 200, origin  # the browser, not the server, withholds it
            assert refused.all("Access-Control-Allow-Origin") == [], origin
            assert refused.header("Vary") == "Origin"
        without = await fetch(f"{base}/texts/nl.json")
        assert without.all("Access-Control-Allow-Origin") == []
        assert without.header("Vary") == "Origin"


async def test_each_language_has_its_own_texts():
    async with served(WebchatInput(), cors=None) as base:
        bodies = {}
        for language in SUPPORTED_LANGUAGES:
            answer = await fetch(f"{base}/texts/{language}.json")
            assert answer.status == 200, language
            bodies[language] = json.loads(answer.body)
        assert bodies["fr"]["widget_send"] == CATALOG.texts["fr"]["widget_send"]
        assert len({texts["widget_send"] for texts in bodies.values()}) == 3


@pytest.mark.parametrize(
    "path",
    [
        "/texts/de.json",
        "/texts/fr.yml",
        "/texts/fr.js",
        "/texts/",
        "/texts/..%2f..%2fchannel.py",
        "/texts/nl.json/more",
    ],
)
async def test_anything_else_under_texts_is_not_found(path):
    async with served(WebchatInput(), cors=None) as base:
        answer = await fetch(f"{base}{path}")
        assert answer.status in (400, 404), path
        assert b"widget_" not in answer.body and b"import" not in answer.body


async def test_the_files_next_to_it_are_still_served():
    async with served(WebchatInput(), cors=None) as base:
        widget = await fetch(f"{base}/widget.js")
        page = await fetch(f"{base}/")
        assert widget.status == 200 and b"texts/" in widget.body
        assert page.status == 200 and widget.all("Access-Control-Allow-Origin") == []


async def test_with_rasa_cors_the_answer_allows_the_site_exactly_once():
    # Two Access-Control-Allow-Origin headers make browsers refuse the answer, and Rasa's
    # `--cors "*"` must not open the texts to every site.
    async with served(WebchatInput(allowed_origins=(OTHER_SITE,)), cors="*") as base:
        answer = await fetch(f"{base}/texts/fr.json", Origin=OTHER_SITE)
        assert answer.status == 200
        assert answer.all("Access-Control-Allow-Origin") == [OTHER_SITE]
        assert answer.all("Access-Control-Allow-Credentials") == []
        other = await fetch(f"{base}/texts/fr.json", Origin=UNKNOWN_SITE)
        assert other.all("Access-Control-Allow-Origin") == []


async def test_the_served_texts_fall_back_to_english_key_by_key():
    channel = WebchatInput(catalog=catalog_without("nl", "widget_clear"))
    async with served(channel, cors=None) as base:
        texts = json.loads((await fetch(f"{base}/texts/nl.json")).body)
        assert texts["widget_clear"] == CATALOG.texts["en"]["widget_clear"]
        assert texts["widget_send"] == CATALOG.texts["nl"]["widget_send"]

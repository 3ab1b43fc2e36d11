"""Every response exists in every language, with the same placeholders, in plain language."""

import re

import pytest
import yaml

from bot.i18n.buttons import RESPONSE_BUTTONS
from bot.i18n.catalog import Catalog
from bot.i18n.nlg import respond
from bot.settings import DEFAULT_LANGUAGE, PROJECT_ROOT, SUPPORTED_LANGUAGES

CATALOG = Catalog.load()
ENGLISH_KEYS = set(CATALOG.texts["en"])
# Plain language: the longest sentence a citizen has to read, per language.
MAX_WORDS_PER_SENTENCE = {"nl": 20, "fr": 22, "en": 20}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_language_has_exactly_the_same_keys(language):
    keys = set(CATALOG.texts[language])
    assert keys - ENGLISH_KEYS == set(), f"{language} has keys English lacks"
    assert ENGLISH_KEYS - keys == set(), f"{language} misses keys"


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_translations_keep_every_placeholder(language):
    for key in ENGLISH_KEYS:
        assert CATALOG.placeholders(key, language) == CATALOG.placeholders(key, "en"), key


def test_every_domain_response_and_button_label_has_a_text():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    needed = set(domain["responses"]) | set(RESPONSE_BUTTONS)
    needed |= {label for buttons in RESPONSE_BUTTONS.values() for _, label in buttons}
    for language in SUPPORTED_LANGUAGES:
        missing = {k for k in needed if not CATALOG.texts[language].get(k)}
        assert missing == set(), f"{language}: {sorted(missing)}"


def test_every_question_the_forms_ask_has_a_text_and_an_explanation():
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
    asked = {s for form in domain["forms"].values() for s in form["required_slots"]}
    for slot in asked - {"registration_confirmed", "document_confirmed"}:
        assert CATALOG.has(f"utter_ask_{slot}", "en"), slot
        assert CATALOG.has(f"utter_explain_{slot}", "en"), slot


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_sentences_are_short(language):
    limit = MAX_WORDS_PER_SENTENCE[language]
    for key, text in CATALOG.texts[language].items():
        for sentence in SENTENCE_END.split(str(text)):
            words = len(sentence.split())
            assert words <= limit, f"{language}.{key}: {words} words: {sentence!r}"


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_one_question_per_message(language):
    for key, text in CATALOG.texts[language].items():
        assert str(text).count("?") <= 1, f"{language}.{key} asks more than one question"


def test_missing_variables_never_show_braces():
    rendered = CATALOG.render("utter_registration_done", "en")
    assert "{" not in rendered["text"] and "}" not in rendered["text"]


def test_render_adds_translated_buttons():
    rendered = CATALOG.render("utter_ask_education_level", "fr")
    titles = [b["title"] for b in rendered["buttons"]]
    payloads = [b["payload"] for b in rendered["buttons"]]
    assert titles[0] == CATALOG.texts["fr"]["education_none"]
    assert payloads[0] == '/inform{"education_level": "none"}'


def test_nlg_answers_in_the_conversation_language():
    body = {"response": "utter_goodbye", "arguments": {}, "tracker": {"slots": {"language": "fr"}}}
    assert respond(body, CATALOG)["text"] == CATALOG.texts["fr"]["utter_goodbye"]


def test_nlg_without_a_language_offers_every_language():
    body = {"response": "utter_greet", "tracker": {"slots": {"language": None}}}
    answer = respond(body, CATALOG)
    for language in SUPPORTED_LANGUAGES:
        assert CATALOG.texts[language]["utter_choose_language"] in answer["text"]
    assert [b["payload"] for b in answer["buttons"]] == [
        f'/switch_language{{"language": "{code}"}}' for code in SUPPORTED_LANGUAGES
    ]


def test_nlg_without_a_language_answers_in_the_default_and_offers_every_language():
    body = {"response": "utter_thank", "tracker": {"slots": {}}}
    answer = respond(body, CATALOG)
    assert answer["text"] == CATALOG.texts[DEFAULT_LANGUAGE]["utter_thank"]
    assert [b["payload"] for b in answer["buttons"]][-len(SUPPORTED_LANGUAGES) :] == [
        f'/switch_language{{"language": "{code}"}}' for code in SUPPORTED_LANGUAGES
    ]


def test_nlg_uses_the_detected_language_before_a_choice():
    body = {"response": "utter_help", "tracker": {"slots": {"detected_language": "en"}}}
    assert respond(body, CATALOG)["text"] == CATALOG.texts["en"]["utter_help"]


def test_nlg_survives_odd_requests():
    assert respond({}, CATALOG)["text"] == ""
    assert respond({"response": "utter_thank", "tracker": None, "arguments": None}, CATALOG)["text"]


def test_nlg_does_not_duplicate_buttons_rasa_appends_itself():
    body = {
        "response": "utter_thank",
        "arguments": {"buttons": [{"title": "x", "payload": "/x"}]},
        "tracker": {"slots": {"language": "en"}},
    }
    payloads = [b["payload"] for b in respond(body, CATALOG)["buttons"]]
    assert "/x" not in payloads

"""Citizens as they really write, against the real servers (REST).

Names that look like words move the form on; a single command word typed as a name is
asked about, and both buttons do what they say; off-topic inside a form keeps the
question; a document named alone starts its request; municipalities are named in the
citizen's language.
"""

from __future__ import annotations

import uuid

import pytest

from bot.i18n.catalog import get_catalog
from tests.support import Chat, t

pytestmark = pytest.mark.integration
CATALOG = get_catalog()

NATIONAL_NUMBERS = {"nl": "85.07.30-033.28", "fr": "90022500186", "en": "01.01.01-001.26"}
BIRTH_DATES = {"nl": "30/07/1985", "fr": "25/02/1990", "en": "01/01/2001"}


def start_registration(stack, language: str, label: str) -> Chat:
    chat = stack.chat(f"{label}-{language}-{uuid.uuid4().hex[:8]}")
    chat.send(f'/switch_language{{"language": "{language}"}}')
    chat.send("/register_jobseeker")
    replies = chat.send(NATIONAL_NUMBERS[language])
    assert t("utter_ask_given_name", language) in chat.text(replies), chat.dump()
    return chat


# First and family names that are also ordinary (or command-like) words.
WORD_LIKE_NAMES = {
    "nl": [("Daan", "Klein"), ("Griet", "De Kat"), ("Els", "Storm"), ("Hoop", "Koning")],
    "fr": [("Rose", "Lenoir"), ("Espoir", "Petit"), ("Frank", "Boulanger"), ("Joy", "Marchand")],
    "en": [("Hope", "King"), ("Rob", "Baker"), ("Grace", "Winter"), ("Will", "Young")],
}


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_names_that_look_like_words_move_the_form_on(stack, language):
    for given, family in WORD_LIKE_NAMES[language]:
        chat = start_registration(stack, language, "names")
        replies = chat.send(given)
        assert t("utter_ask_family_name", language) in chat.text(replies), chat.dump()
        replies = chat.send(family)
        assert t("utter_ask_birth_date", language) in chat.text(replies), chat.dump()
        slots = chat.slots()
        assert (slots["given_name"], slots["family_name"]) == (given, family)


@pytest.mark.parametrize(
    ("language", "word", "command"),
    [("nl", "Stop", "stop"), ("fr", "Bonjour", "greet"), ("en", "Help", "help")],
)
def test_a_command_word_as_a_name_is_asked_about_and_yes_keeps_it(stack, language, word, command):
    chat = start_registration(stack, language, "clarify-yes")
    replies = chat.send(word)
    assert t("utter_clarify_given_name", language, value=word) in chat.text(replies), chat.dump()
    assert chat.payloads(replies) == ["/affirm", f"/{command}"]
    titles = [b["title"] for r in replies for b in r.get("buttons") or []]
    assert titles[0] == t("button_clarify_yes_given_name", language)

    replies = chat.send("/affirm")
    assert t("utter_ask_family_name", language) in chat.text(replies), chat.dump()
    slots = chat.slots()
    assert slots["given_name"] == word
    assert slots["pending_answer"] is None


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_command_word_as_a_name_and_no_gives_the_command(stack, language):
    chat = start_registration(stack, language, "clarify-no")
    replies = chat.send("Stop")
    assert t("utter_clarify_given_name", language, value="Stop") in chat.text(replies)
    replies = chat.send("/stop")
    assert t("utter_ask_stop_confirmation", language) in chat.text(replies), chat.dump()
    assert chat.slots()["given_name"] is None

    # "No, continue": the form asks for the first name again; a typed "yes" to a
    # new question about "Help" keeps that name.
    replies = chat.send("/deny")
    assert t("utter_ask_given_name", language) in chat.text(replies), chat.dump()
    replies = chat.send("Help")
    assert t("utter_clarify_given_name", language, value="Help") in chat.text(replies)
    replies = chat.send("/help")
    assert t("utter_explain_given_name", language) in chat.text(replies), chat.dump()
    assert t("utter_ask_given_name", language) in chat.text(replies)


OFF_TOPIC = {
    "nl": "gaat het morgen regenen in antwerpen",
    "fr": "il va faire beau demain a liege",
    "en": "will it rain tomorrow in brussels",
}


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_off_topic_inside_a_form_keeps_the_question(stack, language):
    chat = start_registration(stack, language, "off-topic")
    replies = chat.send(OFF_TOPIC[language])
    said = chat.text(replies)
    assert t("utter_out_of_scope_in_form", language) in said, chat.dump()
    assert t("utter_ask_given_name", language) in said
    slots = chat.slots()
    assert slots["given_name"] is None and slots["requested_slot"] == "given_name"


DOCUMENTS_ALONE = {
    "nl": ("gezinssamenstelling", "household_composition"),
    "fr": ("composition de menage", "household_composition"),
    "en": ("criminal record extract", "criminal_record_extract"),
}


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_document_named_alone_starts_its_request(stack, language):
    text, document = DOCUMENTS_ALONE[language]
    chat = stack.chat(f"doc-alone-{language}-{uuid.uuid4().hex[:8]}")
    chat.send(f'/switch_language{{"language": "{language}"}}')
    replies = chat.send(text)
    assert t("utter_ask_national_number", language) in chat.text(replies), chat.dump()
    assert chat.slots()["document_type"] == document


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "Brussel"), ("fr", "Bruxelles"), ("en", "Brussels")]
)
def test_brussels_is_named_in_the_citizens_language(stack, language, expected):
    chat = start_registration(stack, language, "municipality")
    chat.send("Sam")
    chat.send("Peeters")
    chat.send(BIRTH_DATES[language])
    replies = chat.send("1000")
    said = chat.text(replies)
    assert said.startswith(f"{expected}."), chat.dump()

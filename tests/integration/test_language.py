"""Language: picked from clear writing, offered when it changes, switched without losing a form."""

from __future__ import annotations

import uuid

import pytest

from bot.i18n.catalog import get_catalog
from tests.support import t

pytestmark = pytest.mark.integration
CATALOG = get_catalog()


def test_a_clear_first_sentence_picks_the_language(stack):
    chat = stack.chat(f"lang-{uuid.uuid4().hex[:8]}")
    replies = chat.send("je voudrais m'inscrire comme demandeur d'emploi")
    assert t("utter_ask_national_number", "fr") in chat.text(replies)
    assert chat.slots()["language"] == "fr"


def test_writing_in_another_language_offers_to_switch(stack):
    chat = stack.chat(f"lang-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "nl"}')
    replies = chat.send("hello, i would like to know where my request is")
    assert t("utter_offer_language_switch", "en") in chat.text(replies)
    assert '/switch_language{"language": "en"}' in chat.payloads(replies)
    assert '/switch_language{"language": "nl"}' in chat.payloads(replies)
    replies = chat.send('/switch_language{"language": "en"}')
    assert t("utter_language_switched", "en") in chat.text(replies)
    assert chat.slots()["language"] == "en"


def test_switching_language_in_a_form_keeps_the_answers(stack):
    chat = stack.chat(f"lang-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "nl"}')
    chat.send("ik wil mij inschrijven als werkzoekende")
    chat.send("85.07.30-033.28")
    assert t("utter_ask_family_name", "nl") in chat.text(chat.send("Jan"))
    replies = chat.send('/switch_language{"language": "fr"}')
    said = chat.text(replies)
    assert t("utter_language_switched", "fr") in said
    # The same question again, now in French; nothing answered before is lost.
    assert t("utter_ask_family_name", "fr") in said
    slots = chat.slots()
    assert slots["national_number"] == "85073003328" and slots["given_name"] == "Jan"
    assert t("utter_ask_birth_date", "fr") in chat.text(chat.send("Peeters"))


def test_help_and_repeat_in_a_form_explain_and_continue(stack):
    chat = stack.chat(f"lang-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "en"}')
    chat.send("/register_jobseeker")
    replies = chat.send("/help")
    said = chat.text(replies)
    assert t("utter_explain_national_number", "en") in said
    assert t("utter_ask_national_number", "en") in said
    replies = chat.send("/stop")
    assert t("utter_ask_stop_confirmation", "en") in chat.text(replies)
    replies = chat.send("/deny")
    assert t("utter_ask_national_number", "en") in chat.text(replies)
    chat.send("/stop")
    replies = chat.send("/affirm")
    assert t("utter_task_stopped", "en") in chat.text(replies)
    assert chat.tracker()["active_loop"] in ({}, None) or not chat.tracker()["active_loop"].get(
        "name"
    )

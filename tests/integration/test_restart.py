"""The SQL tracker store: a restarted Rasa server resumes a conversation mid-form."""

from __future__ import annotations

import uuid

import pytest

from bot.i18n.catalog import get_catalog

pytestmark = pytest.mark.integration
CATALOG = get_catalog()


def test_a_restart_loses_nothing(stack):
    chat = stack.chat(f"restart-{uuid.uuid4().hex[:8]}")
    chat.send('/switch_language{"language": "fr"}')
    chat.send("/register_jobseeker")
    chat.send("85.07.30-033.28")
    assert CATALOG.text("utter_ask_family_name", "fr") in chat.text(chat.send("Jean"))

    stack.restart_rasa()

    # Same language, same form, same question: the answer is taken where we were.
    replies = chat.send("Dupont")
    assert CATALOG.text("utter_ask_birth_date", "fr") in chat.text(replies)
    slots = chat.slots()
    assert slots["given_name"] == "Jean" and slots["family_name"] == "Dupont"
    assert slots["language"] == "fr"

"""A whole registration in Dutch over Telegram, tapping buttons where a citizen would."""

from __future__ import annotations

import pytest

from bot.validators import validate_national_number
from channels.telegram.texts import channel_text
from tests.support import rows, t
from tests.telegram.helpers import Citizen, location

pytestmark = pytest.mark.integration
NATIONAL_NUMBER = "72.11.19-123.23"  # valid: 97 - (721119123 mod 97) = 23


def jobseekers(telegram_stack, national_number: str) -> list[dict]:
    return rows(
        telegram_stack.sandbox_db,
        "SELECT * FROM jobseekers WHERE national_number = :n",
        n=national_number,
    )


def test_registration_in_dutch_from_start_to_reference(telegram_stack):
    number = validate_national_number(NATIONAL_NUMBER)
    assert number.ok
    citizen = Citizen(telegram_stack, language_code=None)  # the app says nothing useful
    try:
        chooser = citizen.say("/start", t("utter_choose_language", "nl"))
        greeting = citizen.tap(
            chooser, "Nederlands", t("utter_language_switched", "nl"), t("utter_greet", "nl")
        )
        asked = citizen.tap(
            greeting, t("button_register", "nl"), t("utter_ask_national_number", "nl")
        )
        assert f"✔ {t('button_register', 'nl')}" in asked.text
        citizen.say(NATIONAL_NUMBER, t("utter_ask_given_name", "nl"))
        citizen.say("marie", t("utter_ask_family_name", "nl"))
        citizen.say("janssens", t("utter_ask_birth_date", "nl"))
        citizen.say("19 november 1972", t("utter_ask_postcode", "nl"))

        # A shared location at the postcode question: the citizen is asked to type it.
        typed = channel_text("telegram_location_type_postcode", "nl")
        reply = citizen.deliver(citizen.update(**location(51.2194, 4.4025)), typed)
        assert reply.methods == ["sendMessage"] and reply.text == typed

        reply = citizen.say("2000", t("utter_ask_phone", "nl"))
        assert "VDAB" in reply.text
        email = citizen.say("0471 23 45 67", t("utter_ask_email", "nl"))
        education = citizen.tap(
            email, t("button_no_email", "nl"), t("utter_ask_education_level", "nl")
        )
        occupation = citizen.tap(
            education, t("education_secondary", "nl"), t("utter_ask_occupation", "nl")
        )
        summary = citizen.tap(occupation, t("occupation_cleaning", "nl"), "Klopt dit?")
        assert "••.••.••-•••." in summary.text and "72111912323" not in summary.text
        assert "Janssens" in summary.text and "Antwerpen" in summary.text
        assert summary.messages[-1].buttons[0][1] == "/affirm"
        done = citizen.tap(summary, t("button_yes_correct", "nl"), "JS-")
        reference = citizen.tracker()["slots"]["known_references"][-1]
        assert reference.startswith("JS-")
        expected = t("utter_registration_done", "nl", agency="VDAB", reference=reference)
        assert expected in done.text
        assert all(call.params["parse_mode"] == "HTML" for call in done.messages)
    except AssertionError:
        print("\n---\n".join(citizen.transcript))
        raise

    [row] = jobseekers(telegram_stack, "72111912323")
    assert row["given_name"] == "Marie" and row["family_name"] == "Janssens"
    assert str(row["birth_date"]) == "1972-11-19"
    assert (row["postcode"], row["agency"]) == ("2000", "VDAB")
    assert row["phone"] == "+32471234567" and row["email"] is None
    assert (row["education_level"], row["occupation"]) == ("secondary", "cleaning")
    assert row["language"] == "nl" and row["reference"] == reference

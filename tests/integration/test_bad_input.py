"""Bad input through REST: a clear re-ask in the citizen's language, and the server goes on."""

from __future__ import annotations

import uuid

import pytest

from bot.i18n.catalog import get_catalog
from bot.validators import validate_national_number, validate_postcode
from tests.support import Chat, t

pytestmark = pytest.mark.integration
CATALOG = get_catalog()
STARTS = {
    "nl": "ik wil mij inschrijven als werkzoekende",
    "fr": "je veux m'inscrire comme demandeur d'emploi",
    "en": "i want to register as a jobseeker",
}


def expect(chat: Chat, message: str, explanation: str, question: str) -> None:
    replies = chat.send(message)
    said = chat.text(replies)
    assert explanation in said, f"{message[:40]!r}: {said!r}"
    assert question in said, f"{message[:40]!r}: the question was not asked again"
    assert "Traceback" not in said and "Error" not in said


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_bad_answers_get_a_clear_re_ask(stack, language):
    chat = stack.chat(f"bad-{language}-{uuid.uuid4().hex[:8]}")
    try:
        chat.send(f'/switch_language{{"language": "{language}"}}')
        ask_number = t("utter_ask_national_number", language)
        assert ask_number in chat.text(chat.send(STARTS[language]))

        for junk in ("", "7" * 5000, "😀🙈🎉", "<script>alert('x')</script>"):
            error = validate_national_number(junk[:500]).error
            assert error in ("empty", "format")
            expect(chat, junk, t(f"utter_invalid_national_number_{error}", language), ask_number)
        expect(
            chat,
            "85.07.30-033.29",
            t("utter_invalid_national_number_checksum", language),
            ask_number,
        )

        ask_given = t("utter_ask_given_name", language)
        assert ask_given in chat.text(chat.send("85.07.30-033.28"))
        expect(chat, "<b>Jan</b>", t("utter_invalid_given_name", language), ask_given)
        expect(chat, "a" * 5000, t("utter_invalid_given_name", language), ask_given)
        chat.send("Jan")
        ask_birth = t("utter_ask_birth_date", language)
        assert ask_birth in chat.text(chat.send("Peeters"))
        expect(chat, "12/03/2099", t("utter_invalid_birth_date_future", language), ask_birth)
        expect(chat, "12/03/1986", t("utter_invalid_birth_date_mismatch", language), ask_birth)

        ask_postcode = t("utter_ask_postcode", language)
        assert ask_postcode in chat.text(chat.send("30/07/1985"))
        error = validate_postcode("0000").error
        expect(
            chat,
            "0000",
            t(f"utter_invalid_postcode_{error}", language, postcode="0000"),
            ask_postcode,
        )

        ask_phone = t("utter_ask_phone", language)
        assert ask_phone in chat.text(chat.send("1000"))
        expect(chat, "+33 6 12 34 56 78", t("utter_invalid_phone_not_belgian", language), ask_phone)
        # Two failures in a row on the same question: a person is offered.
        replies = chat.send("+33 6 12 34 56 79")
        assert t("utter_still_stuck", language) in chat.text(replies)
        assert "/human_handoff" in chat.payloads(replies)
    except AssertionError:
        print(chat.dump())
        raise
    assert stack.api("/status")["model_file"]

"""validate_document_form on tracker fixtures: which document, whose, how delivered.

The document is explained as soon as it is known; the national number is checked as
in the registration; an e-mail address is asked for only when the document comes by
e-mail; a summary is confirmed, or one answer changed.
"""

from __future__ import annotations

import pytest

from bot.tasks.fields import DELIVERY_METHODS, DOCUMENT_TYPES
from bot.tasks.registration import NO_EMAIL
from tests.unit.actions.trackers import (
    CATALOG,
    LANGUAGES,
    REFUSED,
    answer,
    button_payloads,
    entity,
    outcome,
    run_form,
    said,
    tapped,
    tracker,
)

FORM = "document_form"
NUMBER = "85073003328"
# The answers before the question about delivery.
CHOSEN = {"document_type": "residence_certificate", "national_number": NUMBER}
# Every answer given: the summary is shown.
ANSWERED = {**CHOSEN, "delivery": "post"}


# --- which document ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_document_button_stores_the_document_and_explains_it(language):
    payloads = button_payloads("utter_ask_document_type", language)
    for payload, document in zip(payloads, DOCUMENT_TYPES, strict=True):
        current = tapped(payload, form=FORM, requested_slot="document_type", language=language)
        slots, dispatcher = await run_form(current)
        assert outcome(slots, "document_type") == (document, 0.0)
        assert said(dispatcher) == [CATALOG.text(f"utter_document_info_{document}", language)]


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("ik wil een attest van woonst", "nl"),
        ("je voudrais un certificat de résidence", "fr"),
        ("I need a residence certificate", "en"),
    ],
)
async def test_the_document_named_when_asking_for_one_is_taken_from_the_entity(typed, language):
    # The form starts: Rasa fills document_type from the NLU entity (domain slot mapping)
    # before the form has asked anything.
    current = tracker(
        typed,
        "request_document",
        0.97,
        entities=[entity("document_type", "residence_certificate")],
        form=FORM,
        mapped={"document_type": "residence_certificate"},
        requested_slot=None,
        language=language,
    )
    slots, dispatcher = await run_form(current)
    assert outcome(slots, "document_type") == ("residence_certificate", 0.0)
    expected = CATALOG.text("utter_document_info_residence_certificate", language)
    assert said(dispatcher) == [expected]


async def test_the_entity_found_in_an_answer_names_the_document():
    slots, dispatcher = await answer(
        "document_type",
        "ik heb een gezinssamenstelling nodig",
        "nl",
        entities=[entity("document_type", "household_composition")],
        form=FORM,
    )
    assert slots["document_type"] == "household_composition"
    assert said(dispatcher) == [CATALOG.text("utter_document_info_household_composition", "nl")]


@pytest.mark.parametrize(
    ("typed", "language", "document"),
    [
        ("attest van woonst", "nl", "residence_certificate"),
        ("gezinssamenstelling", "nl", "household_composition"),
        ("uittreksel uit het strafregister", "nl", "criminal_record_extract"),
        ("certificat de résidence", "fr", "residence_certificate"),
        ("extrait de casier judiciaire", "fr", "criminal_record_extract"),
        ("composition de ménage", "fr", "household_composition"),
        ("a birth certificate please", "en", "birth_certificate"),
    ],
)
async def test_a_document_typed_in_words_is_recognised(typed, language, document):
    slots, dispatcher = await answer("document_type", typed, language, form=FORM)
    assert outcome(slots, "document_type") == (document, 0.0)
    assert said(dispatcher) == [CATALOG.text(f"utter_document_info_{document}", language)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["rijbewijs", "permis de conduire", "a driving licence"])
async def test_a_document_we_do_not_issue_is_refused(typed, language):
    slots, dispatcher = await answer("document_type", typed, language, form=FORM)
    assert outcome(slots, "document_type") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_unknown_document_entity_is_refused(language):
    current = tracker(
        "I need a passport",
        "request_document",
        0.97,
        entities=[entity("document_type", "passport")],
        form=FORM,
        mapped={"document_type": "passport"},
        requested_slot=None,
        language=language,
    )
    slots, dispatcher = await run_form(current)
    assert outcome(slots, "document_type") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]


# --- whose: the national number, checked as in the registration -------------------------


async def test_the_national_number_is_stored_as_its_eleven_digits():
    slots, dispatcher = await answer(
        "national_number",
        "85.07.30-033.28",
        form=FORM,
        document_type="residence_certificate",
    )
    assert outcome(slots, "national_number") == (NUMBER, 0.0)
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("typed", "error"), [("1234", "format"), ("85 07 30 033 29", "checksum")])
async def test_a_wrong_national_number_is_refused_with_the_reason(typed, error, language):
    slots, dispatcher = await answer(
        "national_number", typed, language, form=FORM, document_type="residence_certificate"
    )
    assert outcome(slots, "national_number") == REFUSED
    assert said(dispatcher) == [CATALOG.text(f"utter_invalid_national_number_{error}", language)]


# --- delivery ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_delivery_button_stores_its_method(language):
    payloads = button_payloads("utter_ask_delivery", language)
    stored = []
    for payload in payloads:
        current = tapped(
            payload,
            form=FORM,
            requested_slot="delivery",
            language=language,
            email="jan@example.be",
            **CHOSEN,
        )
        slots, _ = await run_form(current)
        stored.append(slots["delivery"])
    assert stored == list(DELIVERY_METHODS)


@pytest.mark.parametrize(
    ("typed", "language", "method"),
    [
        ("met de post", "nl", "post"),
        ("aan het loket", "nl", "counter"),
        ("par courrier", "fr", "post"),
        ("au guichet", "fr", "counter"),
        ("at the counter", "en", "counter"),
    ],
)
async def test_a_delivery_typed_in_words_is_recognised(typed, language, method):
    slots, dispatcher = await answer("delivery", typed, language, form=FORM, **CHOSEN)
    assert outcome(slots, "delivery") == (method, 0.0)
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("email", [None, NO_EMAIL])
async def test_delivery_by_email_asks_for_the_address_when_none_is_known(email, language):
    current = tapped(
        '/inform{"delivery": "email"}',
        form=FORM,
        requested_slot="delivery",
        language=language,
        email=email,
        **CHOSEN,
    )
    slots, dispatcher = await run_form(current)
    assert slots["delivery"] == "email"
    assert slots["email"] is None
    assert slots["requested_slot"] == "email"
    assert said(dispatcher) == [CATALOG.text("utter_document_needs_email", language)]


async def test_delivery_by_email_uses_the_address_already_given():
    current = tapped(
        '/inform{"delivery": "email"}',
        form=FORM,
        requested_slot="delivery",
        email="jan@example.be",
        **CHOSEN,
    )
    slots, dispatcher = await run_form(current)
    assert slots["delivery"] == "email"
    assert "email" not in slots  # kept as it was
    assert slots["requested_slot"] == "document_confirmed"
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["by pigeon", "per duif", "par pigeon voyageur"])
async def test_an_unknown_delivery_is_refused(typed, language):
    slots, dispatcher = await answer("delivery", typed, language, form=FORM, **CHOSEN)
    assert outcome(slots, "delivery") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]


# --- the e-mail address, for delivery by e-mail ------------------------------------------


async def test_the_email_address_for_delivery_is_stored():
    slots, dispatcher = await answer(
        "email", "Jan@Example.BE", form=FORM, delivery="email", **CHOSEN
    )
    assert outcome(slots, "email") == ("Jan@example.be", 0.0)
    assert slots["requested_slot"] == "document_confirmed"
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_no_email_after_all_asks_the_delivery_again(language):
    [payload] = button_payloads("utter_ask_email", language)
    current = tapped(
        payload,
        form=FORM,
        requested_slot="email",
        language=language,
        delivery="email",
        **CHOSEN,
    )
    slots, dispatcher = await run_form(current)
    assert slots["email"] == NO_EMAIL
    assert slots["delivery"] is None
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("typed", "error", "suggestion"),
    [("jan@gmail.con", "typo", "gmail.com"), ("jan at example", "format", "")],
)
async def test_a_wrong_email_address_is_refused_with_the_reason(typed, error, suggestion, language):
    slots, dispatcher = await answer(
        "email", typed, language, form=FORM, delivery="email", **CHOSEN
    )
    assert outcome(slots, "email") == REFUSED
    assert slots["requested_slot"] == "email"
    expected = CATALOG.text(f"utter_invalid_email_{error}", language, suggestion=suggestion)
    assert said(dispatcher) == [expected]


# --- the summary, and changing one answer ------------------------------------------------


async def test_yes_to_the_summary_confirms_the_request():
    current = tapped("/affirm", form=FORM, requested_slot="document_confirmed", **ANSWERED)
    slots, _ = await run_form(current)
    assert outcome(slots, "document_confirmed") == (True, 0.0)


async def test_no_to_the_summary_asks_what_to_change():
    current = tapped("/deny", form=FORM, requested_slot="document_confirmed", **ANSWERED)
    slots, _ = await run_form(current)
    assert slots["document_confirmed"] is False
    assert slots["requested_slot"] == "field"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_anything_but_yes_or_no_to_the_summary_is_refused(language):
    slots, dispatcher = await answer(
        "document_confirmed", "misschien", language, form=FORM, **ANSWERED
    )
    assert outcome(slots, "document_confirmed") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_change_button_clears_that_answer_and_asks_it_again(language):
    payloads = button_payloads("utter_ask_document_field", language)
    fields = ("document_type", "national_number", "delivery")
    for payload, field in zip(payloads, fields, strict=True):
        current = tapped(
            payload,
            form=FORM,
            requested_slot="field",
            language=language,
            document_confirmed=False,
            **ANSWERED,
        )
        slots, dispatcher = await run_form(current)
        assert slots[field] is None
        assert slots["requested_slot"] == field
        label = CATALOG.text(f"field_{field}", language)
        assert said(dispatcher) == [CATALOG.text("utter_change_field", language, field_label=label)]


@pytest.mark.parametrize(
    ("typed", "language"), [("levering", "nl"), ("mode de livraison", "fr"), ("delivery", "en")]
)
async def test_the_answer_to_change_may_be_typed(typed, language):
    slots, dispatcher = await answer(
        "field", typed, language, form=FORM, document_confirmed=False, **ANSWERED
    )
    assert slots["delivery"] is None
    assert slots["document_confirmed"] is None  # the summary is shown again after
    label = CATALOG.text("field_delivery", language)
    assert said(dispatcher) == [CATALOG.text("utter_change_field", language, field_label=label)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_answer_the_request_does_not_have_cannot_be_changed(language):
    slots, dispatcher = await answer(
        "field", "phone number", language, form=FORM, document_confirmed=False, **ANSWERED
    )
    assert outcome(slots, "field") == REFUSED
    assert slots["requested_slot"] == "field"
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]

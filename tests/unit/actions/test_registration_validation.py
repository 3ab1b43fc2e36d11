"""validate_registration_form, one question at a time, on tracker fixtures.

Each answer goes through the form action as Rasa runs it (extraction, then the
validate_<slot> method): a good answer is stored normalised, a bad one is refused with
the validator's explanation in the conversation's language and the slot stays empty, so
that the form asks the same question again.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.tasks.fields import EDUCATION_LEVELS, OCCUPATIONS
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
)

NUMBER = "85073003328"  # a national register number of someone born on 30 July 1985
BORN = "1985-07-30"
TODAY = date.today()
# Every answer given, as the summary shows them.
ANSWERED = {
    "national_number": NUMBER,
    "given_name": "Jan",
    "family_name": "Peeters",
    "birth_date": BORN,
    "postcode": "9000",
    "phone": "+32470123456",
    "email": NO_EMAIL,
    "education_level": "secondary",
    "occupation": "warehouse",
}


# --- national register number ------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["85.07.30-033.28", "85 07 30 033 28", "85073003328", "85-07-30 033/28"]
)
async def test_a_national_number_is_stored_as_its_eleven_digits(typed):
    slots, dispatcher = await answer("national_number", typed, failed_attempts=1.0)
    assert slots["national_number"] == NUMBER
    assert slots["failed_attempts"] == 0.0
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1234", "format"),
        ("85 07 30 033 29", "checksum"),  # one digit off
        ("85.02.30-033.90", "birth_date"),  # right check digits, but 30 February
        ("85.13.01-033.67", "birth_date"),  # right check digits, but month 13
        ("🙂", "empty"),
    ],
)
async def test_a_wrong_national_number_is_refused_with_the_reason(typed, error, language):
    slots, dispatcher = await answer("national_number", typed, language)
    assert outcome(slots, "national_number") == REFUSED
    assert said(dispatcher) == [CATALOG.text(f"utter_invalid_national_number_{error}", language)]


async def test_a_corrected_national_number_forgets_a_birth_date_it_contradicts():
    slots, _ = await answer("national_number", "85.07.30-033.28", birth_date="1990-01-01")
    assert slots["national_number"] == NUMBER
    assert slots["birth_date"] is None  # asked again, to match the new number


async def test_a_corrected_national_number_keeps_a_birth_date_it_agrees_with():
    slots, _ = await answer("national_number", "85.07.30-033.28", birth_date=BORN)
    assert slots["national_number"] == NUMBER
    assert "birth_date" not in slots


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("mijn rijksregisternummer is 85.07.30-033.28", "nl"),
        ("mon numéro de registre national est 85.07.30-033.28", "fr"),
        ("my national number is 85.07.30-033.28", "en"),
    ],
)
async def test_a_national_number_found_by_the_nlu_in_a_sentence_is_taken(typed, language):
    found = [entity("national_number", "85.07.30-033.28")]
    slots, dispatcher = await answer("national_number", typed, language, entities=found)
    assert said(dispatcher) == []
    assert slots["national_number"] == NUMBER


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "language", "stored"),
    [
        ("  jean-pierre ", "fr", "Jean-Pierre"),
        ("ik heet daan", "nl", "Daan"),
        ("my name is tom", "en", "Tom"),
        ("Els", "nl", "Els"),
    ],
)
async def test_a_first_name_is_stored_capitalised_without_the_sentence(typed, language, stored):
    slots, dispatcher = await answer("given_name", typed, language)
    assert slots["given_name"] == stored
    assert said(dispatcher) == []


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("VAN DEN BERG", "Van den Berg"), ("  el   amrani ", "El Amrani"), ("d'Hondt", "d'Hondt")],
)
async def test_a_last_name_is_stored_normalised(typed, stored):
    slots, dispatcher = await answer("family_name", typed, "nl")
    assert slots["family_name"] == stored
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("slot", "typed"),
    [
        ("given_name", "Jan3"),
        ("given_name", "<b>Jan</b>"),
        ("family_name", "Peeters2"),
        ("family_name", "@peeters"),
    ],
)
async def test_a_name_that_is_not_a_name_is_refused(slot, typed, language):
    slots, dispatcher = await answer(slot, typed, language)
    assert outcome(slots, slot) == REFUSED
    assert said(dispatcher) == [CATALOG.text(f"utter_invalid_{slot}", language)]


# --- birth date --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "language"),
    [
        ("30/07/1985", "en"),
        ("30.07.85", "nl"),
        ("1985-07-30", "fr"),
        ("ik ben geboren op 30 juli 1985", "nl"),
        ("né le 30 juillet 1985", "fr"),
        ("July 30th, 1985", "en"),
    ],
)
async def test_a_birth_date_matching_the_national_number_is_stored_as_iso(typed, language):
    slots, dispatcher = await answer("birth_date", typed, language, national_number=NUMBER)
    assert slots["birth_date"] == BORN
    assert slots["failed_attempts"] == 0.0
    assert said(dispatcher) == []


async def test_a_birth_date_is_read_day_first_without_a_national_number():
    slots, _ = await answer("birth_date", "05/03/1990", "nl")
    assert slots["birth_date"] == "1990-03-05"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_birth_date_contradicting_the_national_number_is_refused(language):
    slots, dispatcher = await answer("birth_date", "31/07/1985", language, national_number=NUMBER)
    assert outcome(slots, "birth_date") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_birth_date_mismatch", language)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("30/07", "format"),  # no year
        ("🙂", "format"),  # nothing: the same explanation
        ("31/02/1985", "impossible"),
        (f"01/01/{TODAY.year + 1}", "future"),
        (f"01/01/{TODAY.year - 5}", "too_young"),
        ("01/01/1850", "too_old"),
    ],
)
async def test_a_wrong_birth_date_is_refused_with_the_reason(typed, error, language):
    slots, dispatcher = await answer("birth_date", typed, language)
    assert outcome(slots, "birth_date") == REFUSED
    assert said(dispatcher) == [CATALOG.text(f"utter_invalid_birth_date_{error}", language)]


# --- postcode ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "language", "postcode", "municipality", "agency"),
    [
        ("9000", "nl", "9000", "Gent", "VDAB"),
        ("9000", "fr", "9000", "Gand", "VDAB"),
        ("9000", "en", "9000", "Ghent", "VDAB"),
        ("4000", "fr", "4000", "Liège", "Le Forem"),
        ("B-4700 Eupen", "fr", "4700", "Eupen", "ADG"),
        ("mijn postcode is 1050", "nl", "1050", "Brussel, Elsene", "Actiris"),
        ("1050", "en", "1050", "Brussels, Ixelles", "Actiris"),
    ],
)
async def test_a_postcode_is_stored_and_its_municipality_and_agency_are_named(
    typed, language, postcode, municipality, agency
):
    slots, dispatcher = await answer("postcode", typed, language)
    assert slots["postcode"] == postcode
    assert slots["failed_attempts"] == 0.0
    expected = CATALOG.text(
        "utter_postcode_found", language, municipality=municipality, agency=agency
    )
    assert said(dispatcher) == [expected]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("900", "format"),
        ("9000 / 1000", "format"),  # two postcodes: which one?
        ("🙂", "format"),
        ("9999", "unknown"),
    ],
)
async def test_a_wrong_postcode_is_refused_with_the_reason(typed, error, language):
    slots, dispatcher = await answer("postcode", typed, language)
    assert outcome(slots, "postcode") == REFUSED
    expected = CATALOG.text(f"utter_invalid_postcode_{error}", language, postcode=typed)
    assert said(dispatcher) == [expected]


# --- phone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("0470/12.34.56", "+32470123456"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0032 470 12 34 56", "+32470123456"),
        ("mijn gsm is 0470 12 34 56", "+32470123456"),
        ("09 265 71 11", "+3292657111"),
        ("02 511 11 11", "+3225111111"),
    ],
)
async def test_a_belgian_phone_number_is_stored_in_international_form(typed, stored):
    slots, dispatcher = await answer("phone", typed, "nl")
    assert slots["phone"] == stored
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("+33 6 12 34 56 78", "not_belgian"),
        ("047", "invalid"),
        ("0800 12 345", "invalid"),  # a service number, not a citizen's
        ("0470FLOWERS", "format"),
        ("🙂", "format"),
    ],
)
async def test_a_wrong_phone_number_is_refused_with_the_reason(typed, error, language):
    slots, dispatcher = await answer("phone", typed, language)
    assert outcome(slots, "phone") == REFUSED
    assert said(dispatcher) == [CATALOG.text(f"utter_invalid_phone_{error}", language)]


# --- e-mail (optional) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jan.Peeters@Telenet.BE", "Jan.Peeters@telenet.be"),
        ("  jan@example.be ", "jan@example.be"),
    ],
)
async def test_an_email_address_is_stored_with_its_domain_in_lower_case(typed, stored):
    slots, dispatcher = await answer("email", typed)
    assert slots["email"] == stored
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_no_email_button_is_an_answer(language):
    [payload] = button_payloads("utter_ask_email", language)
    slots, dispatcher = await run_form(tapped(payload, requested_slot="email", language=language))
    assert slots["email"] == NO_EMAIL
    assert slots["failed_attempts"] == 0.0
    assert said(dispatcher) == []


@pytest.mark.parametrize(
    ("typed", "intent", "language"),
    [
        ("ik heb geen e-mail", "deny", "nl"),
        ("geen", "inform", "nl"),
        ("je n'ai pas d'adresse e-mail", "inform", "fr"),
        ("I don't have one", "inform", "en"),
    ],
)
async def test_no_email_typed_in_words_is_an_answer(typed, intent, language):
    slots, dispatcher = await answer("email", typed, language, intent=intent)
    assert slots["email"] == NO_EMAIL
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("typed", "error", "suggestion"),
    [
        ("jan@gmail.con", "typo", "gmail.com"),
        ("jan@hotmial.be", "typo", "hotmail.be"),
        ("jan at gmail", "format", ""),
        ("jan@@example.be", "format", ""),
        ("🙂", "format", ""),
    ],
)
async def test_a_wrong_email_address_is_refused_with_the_reason(typed, error, suggestion, language):
    slots, dispatcher = await answer("email", typed, language)
    assert outcome(slots, "email") == REFUSED
    expected = CATALOG.text(f"utter_invalid_email_{error}", language, suggestion=suggestion)
    assert said(dispatcher) == [expected]


# --- education level ---------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_each_education_button_stores_its_level(language):
    stored = []
    for payload in button_payloads("utter_ask_education_level", language):
        current = tapped(payload, requested_slot="education_level", language=language)
        slots, dispatcher = await run_form(current)
        assert said(dispatcher) == []
        stored.append(slots["education_level"])
    assert stored == list(EDUCATION_LEVELS)


@pytest.mark.parametrize(
    ("typed", "language", "level"),
    [
        ("lagere school", "nl", "primary"),
        ("hoger onderwijs", "nl", "higher"),
        ("secondaire", "fr", "secondary"),
        ("aucun diplôme", "fr", "none"),
        ("university", "en", "higher"),
        ("no diploma", "en", "none"),
    ],
)
async def test_an_education_level_typed_in_words_is_stored_as_its_level(typed, language, level):
    slots, dispatcher = await answer("education_level", typed, language)
    assert slots["education_level"] == level
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
async def test_an_unknown_education_level_is_refused(language):
    slots, dispatcher = await answer("education_level", "banana", language)
    assert outcome(slots, "education_level") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_level_outside_the_list_is_refused_even_as_an_entity(language):
    current = tapped(
        '/inform{"education_level": "phd"}', requested_slot="education_level", language=language
    )
    slots, dispatcher = await run_form(current)
    assert outcome(slots, "education_level") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]


# --- occupation (free text) --------------------------------------------------------------


async def test_each_occupation_button_stores_its_occupation():
    stored = []
    for payload in button_payloads("utter_ask_occupation", "en"):
        slots, _ = await run_form(tapped(payload, requested_slot="occupation"))
        stored.append(slots["occupation"])
    assert stored == list(OCCUPATIONS)


@pytest.mark.parametrize(
    ("typed", "language", "stored"),
    [
        ("  vrachtwagen   chauffeur ", "nl", "vrachtwagen chauffeur"),
        ("serveur dans un restaurant", "fr", "serveur dans un restaurant"),
        ("night shifts in a warehouse", "en", "night shifts in a warehouse"),
    ],
)
async def test_an_occupation_in_free_text_is_stored_with_single_spaces(typed, language, stored):
    slots, dispatcher = await answer("occupation", typed, language)
    assert slots["occupation"] == stored
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "typed", ["<b>boss</b>", "🙂", " ".join(["work"] * 13)], ids=["markup", "emoji", "13 words"]
)
async def test_an_occupation_that_says_nothing_usable_is_refused(typed, language):
    slots, dispatcher = await answer("occupation", typed, language)
    assert outcome(slots, "occupation") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_occupation", language)]


# --- the summary -------------------------------------------------------------------------


async def test_yes_to_the_summary_confirms_the_registration():
    current = tapped("/affirm", requested_slot="registration_confirmed", **ANSWERED)
    slots, _ = await run_form(current)
    assert slots["registration_confirmed"] is True


async def test_no_to_the_summary_asks_what_to_change():
    current = tapped("/deny", requested_slot="registration_confirmed", **ANSWERED)
    slots, _ = await run_form(current)
    assert slots["registration_confirmed"] is False
    assert slots["requested_slot"] == "field"


@pytest.mark.parametrize("language", LANGUAGES)
async def test_anything_but_yes_or_no_to_the_summary_is_refused(language):
    slots, dispatcher = await answer("registration_confirmed", "maybe later", language, **ANSWERED)
    assert outcome(slots, "registration_confirmed") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_choice", language)]


# --- what every refusal shares -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_person_is_offered_after_the_second_failed_answer(language):
    slots, dispatcher = await answer("phone", "047", language, failed_attempts=1.0)
    assert outcome(slots, "phone") == (None, 2.0)
    assert said(dispatcher) == [
        CATALOG.text("utter_invalid_phone_invalid", language),
        CATALOG.text("utter_still_stuck", language),
    ]


@pytest.mark.parametrize(("before", "offered"), [(2.0, False), (3.0, False), (4.0, True)])
async def test_the_person_is_offered_again_every_third_failure(before, offered):
    slots, dispatcher = await answer("phone", "047", failed_attempts=before)
    assert slots["failed_attempts"] == before + 1
    assert (CATALOG.text("utter_still_stuck", "en") in said(dispatcher)) is offered


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_very_long_answer_is_refused_saying_only_its_start_was_read(language):
    slots, dispatcher = await answer("national_number", "1" * 600, language)
    assert outcome(slots, "national_number") == REFUSED
    assert said(dispatcher) == [
        CATALOG.text("utter_message_too_long", language),
        CATALOG.text("utter_invalid_national_number_format", language),
    ]

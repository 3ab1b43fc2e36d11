"""validate_status_form on tracker fixtures: the reference of a registration or request.

A reference is JS- (registration), DR- (document request) or Q- (queued) followed by
eight letters or digits. It is stored in capitals, whether typed, found by the NLU,
tapped on a button or said when asking for the status; anything else is refused with
an example of a reference, in the conversation's language.
"""

from __future__ import annotations

import pytest

from tests.unit.actions.trackers import (
    CATALOG,
    LANGUAGES,
    REFUSED,
    answer,
    entity,
    outcome,
    run_form,
    said,
    tapped,
    tracker,
)

FORM = "status_form"


@pytest.mark.parametrize(
    ("typed", "language", "stored"),
    [
        ("JS-7K2M9QXA", "en", "JS-7K2M9QXA"),
        ("DR-4TQ8ZP1M", "fr", "DR-4TQ8ZP1M"),
        ("Q-8H3KD0WX", "nl", "Q-8H3KD0WX"),
        ("js-7k2m9qxa", "nl", "JS-7K2M9QXA"),
        ("  dr-4tq8zp1m ", "en", "DR-4TQ8ZP1M"),
        ("mijn referentie is DR-4TQ8ZP1M", "nl", "DR-4TQ8ZP1M"),
        ("ma référence est q-8h3kd0wx, merci", "fr", "Q-8H3KD0WX"),
        ("where is my registration JS-7K2M9QXA?", "en", "JS-7K2M9QXA"),
    ],
)
async def test_a_typed_reference_is_stored_in_capitals(typed, language, stored):
    slots, dispatcher = await answer("reference", typed, language, form=FORM)
    assert outcome(slots, "reference") == (stored, 0.0)
    assert said(dispatcher) == []


async def test_the_reference_found_by_the_nlu_is_stored_in_capitals():
    slots, _ = await answer(
        "reference",
        "status of dr-4tq8zp1m please",
        entities=[entity("reference", "dr-4tq8zp1m")],
        form=FORM,
    )
    assert outcome(slots, "reference") == ("DR-4TQ8ZP1M", 0.0)


async def test_a_known_reference_tapped_on_its_button_is_stored():
    current = tapped(
        '/inform{"reference": "DR-4TQ8ZP1M"}',
        form=FORM,
        requested_slot="reference",
        known_references=["JS-7K2M9QXA", "DR-4TQ8ZP1M"],
    )
    slots, _ = await run_form(current)
    assert outcome(slots, "reference") == ("DR-4TQ8ZP1M", 0.0)


async def test_the_reference_given_when_asking_for_the_status_is_taken():
    # The form starts: Rasa fills the reference from the NLU entity (domain slot mapping).
    current = tracker(
        "waar staat JS-7K2M9QXA",
        "check_request_status",
        0.97,
        entities=[entity("reference", "JS-7K2M9QXA")],
        form=FORM,
        mapped={"reference": "JS-7K2M9QXA"},
        requested_slot=None,
        language="nl",
    )
    slots, dispatcher = await run_form(current)
    assert outcome(slots, "reference") == ("JS-7K2M9QXA", 0.0)
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["DR4TQ8ZP1M", "dr 4tq8zp1m", "mijn nummer is DR4TQ8ZP1M"])
async def test_a_reference_copied_without_its_dash_is_taken_the_canonical_way(typed, language):
    slots, dispatcher = await answer("reference", typed, language, form=FORM)
    assert outcome(slots, "reference") == ("DR-4TQ8ZP1M", 0.0)
    assert said(dispatcher) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    "typed",
    [
        "DR-4TQ8ZP1",  # seven characters
        "JS-7K2M9QXAB",  # nine characters
        "XX-4TQ8ZP1M",  # no such kind of reference
        "JS-7K2M-9QXA",  # a dash inside
        "DRKTQBZPAM",  # no dash and no digit: could be a word
        "12345678",
        "JS-7K2M9QX!",
    ],
)
async def test_anything_but_a_reference_is_refused_with_an_example(typed, language):
    slots, dispatcher = await answer("reference", typed, language, form=FORM)
    assert outcome(slots, "reference") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_reference", language)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_malformed_reference_given_when_asking_for_the_status_is_refused(language):
    current = tracker(
        "where is JS-7K2M",
        "check_request_status",
        0.97,
        entities=[entity("reference", "JS-7K2M")],
        form=FORM,
        mapped={"reference": "JS-7K2M"},
        requested_slot=None,
        language=language,
    )
    slots, dispatcher = await run_form(current)
    assert outcome(slots, "reference") == REFUSED
    assert said(dispatcher) == [CATALOG.text("utter_invalid_reference", language)]


@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_person_is_offered_after_the_second_wrong_reference(language):
    slots, dispatcher = await answer(
        "reference", "12345678", language, form=FORM, failed_attempts=1.0
    )
    assert outcome(slots, "reference") == (None, 2.0)
    assert said(dispatcher) == [
        CATALOG.text("utter_invalid_reference", language),
        CATALOG.text("utter_still_stuck", language),
    ]

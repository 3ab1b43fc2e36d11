"""End to end: real agency sandbox, action server and Rasa server, talking REST.

One registration per language from the first hello to the reference, then the agency's
own database must hold exactly that one registration with the right fields.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.i18n.catalog import get_catalog
from tests.support import t

pytestmark = pytest.mark.integration
CATALOG = get_catalog()


def jobseekers(stack) -> list[dict]:
    engine = create_engine(stack.sandbox_db, future=True)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM jobseekers")).mappings().all()
    engine.dispose()
    return [dict(row) for row in rows]


# (language, the citizen's answers, expected normalised values)
REGISTRATIONS = {
    "nl": {
        "start": "ik wil mij inschrijven als werkzoekende",
        "national_number": "85.07.30-033.28",
        "given_name": "jan",
        "family_name": "peeters",
        "birth_date": "30 juli 1985",
        "postcode": "9000",
        "phone": "0470 12 34 56",
        "email": "jan.peeters@example.be",
        "occupation": "kok",
        "yes": "ja dat klopt",
        "expected": {
            "national_number": "85073003328",
            "given_name": "Jan",
            "family_name": "Peeters",
            "birth_date": "1985-07-30",
            "postcode": "9000",
            "agency": "VDAB",
            "phone": "+32470123456",
            "email": "jan.peeters@example.be",
            "occupation": "kok",
        },
    },
    "fr": {
        "start": "je voudrais m'inscrire comme demandeur d'emploi",
        "national_number": "90022500186",
        "given_name": "Fatima",
        "family_name": "El Amrani",
        "birth_date": "25 février 1990",
        "postcode": "4000",
        "phone": "+32 485 55 66 77",
        "email": None,
        "occupation": "aide-soignante",
        "yes": "oui c'est correct",
        "expected": {
            "national_number": "90022500186",
            "given_name": "Fatima",
            "family_name": "El Amrani",
            "birth_date": "1990-02-25",
            "postcode": "4000",
            "agency": "Le Forem",
            "phone": "+32485556677",
            "email": None,
            "occupation": "aide-soignante",
        },
    },
    "en": {
        "start": "i want to register as a jobseeker",
        "national_number": "01.01.01-001.26",
        "given_name": "Ahmed",
        "family_name": "Yilmaz",
        "birth_date": "january 1 2001",
        "postcode": "1030",
        "phone": "0032 478 11 22 33",
        "email": "ahmed.yilmaz@example.com",
        "occupation": "warehouse worker",
        "yes": "yes that is correct",
        "expected": {
            "national_number": "01010100126",
            "given_name": "Ahmed",
            "family_name": "Yilmaz",
            "birth_date": "2001-01-01",
            "postcode": "1030",
            "agency": "Actiris",
            "phone": "+32478112233",
            "email": "ahmed.yilmaz@example.com",
            "occupation": "warehouse worker",
        },
    },
}


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_registration_from_hello_to_reference(stack, language):
    answers = REGISTRATIONS[language]
    chat = stack.chat(f"e2e-{language}-{uuid.uuid4().hex[:8]}")
    try:
        replies = chat.send("hello")
        # No language yet: every language is offered as a button.
        assert f'/switch_language{{"language": "{language}"}}' in chat.payloads(replies)

        replies = chat.send(f'/switch_language{{"language": "{language}"}}')
        assert t("utter_language_switched", language) in chat.text(replies)

        replies = chat.send(answers["start"])
        assert t("utter_ask_national_number", language) in chat.text(replies)
        replies = chat.send(answers["national_number"])
        assert t("utter_ask_given_name", language) in chat.text(replies)
        replies = chat.send(answers["given_name"])
        assert t("utter_ask_family_name", language) in chat.text(replies)
        replies = chat.send(answers["family_name"])
        assert t("utter_ask_birth_date", language) in chat.text(replies)
        replies = chat.send(answers["birth_date"])
        assert t("utter_ask_postcode", language) in chat.text(replies)
        replies = chat.send(answers["postcode"])
        assert answers["expected"]["agency"] in chat.text(replies)
        assert t("utter_ask_phone", language) in chat.text(replies)
        replies = chat.send(answers["phone"])
        assert t("utter_ask_email", language) in chat.text(replies)
        # No e-mail: the citizen taps the button.
        replies = chat.send(answers["email"] or "/deny")
        assert t("utter_ask_education_level", language) in chat.text(replies)
        replies = chat.send('/inform{"education_level": "secondary"}')
        assert t("utter_ask_occupation", language) in chat.text(replies)
        replies = chat.send(answers["occupation"])
        summary = chat.text(replies)
        assert "••.••.••-•••." in summary and answers["expected"]["national_number"] not in summary
        assert answers["expected"]["family_name"] in summary
        replies = chat.send(answers["yes"])
        done = chat.text(replies)
        reference = chat.slots()["known_references"][-1]
        assert reference.startswith("JS-")
        assert (
            t(
                "utter_registration_done",
                language,
                agency=answers["expected"]["agency"],
                reference=reference,
            )
            in done
        )
    except AssertionError:
        print(chat.dump())
        raise

    rows = [
        r
        for r in jobseekers(stack)
        if r["national_number"] == answers["expected"]["national_number"]
    ]
    assert len(rows) == 1
    row = rows[0]
    for field, value in answers["expected"].items():
        assert str(row[field]) if value is not None else row[field] is None, field
        if value is not None:
            assert str(row[field]) == value, field
    assert row["education_level"] == "secondary"
    assert row["language"] == language
    assert row["reference"] == reference


def test_server_is_healthy_after_conversations(stack):
    assert stack.api("/status")["model_file"]


def test_registering_twice_is_explained_kindly(stack):
    """A second registration with the same national number: the agency answers 409."""
    first = stack.chat(f"twice-a-{uuid.uuid4().hex[:8]}")
    second = stack.chat(f"twice-b-{uuid.uuid4().hex[:8]}")
    answers = [
        "75.12.24-001.65",
        "Anna",
        "Janssens",
        "24/12/1975",
        "3000",
        "0499 12 34 56",
        "/deny",
        '/inform{"education_level": "higher"}',
        '/inform{"occupation": "office"}',
    ]
    references = []
    for chat in (first, second):
        chat.send('/switch_language{"language": "nl"}')
        chat.send("/register_jobseeker")
        for answer in answers:
            chat.send(answer)
        said = chat.text(chat.send("/affirm"))
        references.append((chat.slots()["known_references"] or [None])[-1])
    assert references[0].startswith("JS-")
    assert references[1] == references[0]
    assert t("utter_already_registered", "nl", agency="VDAB", reference=references[0]) in said
    assert len([r for r in jobseekers(stack) if r["national_number"] == "75122400165"]) == 1

"""Answers first: names that look like words are answers, commands stay commands."""

import pytest

from bot.understanding.decision import Kind, Message, decide


def message(text: str, intent: str = "inform", confidence: float = 0.95, **entities) -> Message:
    return Message(text=text, intent=intent, confidence=confidence, entities=entities)


# Names that are also words, with the command the NLU may wrongly see in them.
WORD_LIKE_NAMES = [
    ("Daan", "stop"),
    ("Griet", "stop"),
    ("Hope", "stop"),
    ("Els", "switch_language"),
    ("Frank", "switch_language"),
    ("Joy", "greet"),
    ("Rob", "bot_challenge"),
    ("Klein", "help"),
    ("Roos", "thank"),
    ("Storm", "out_of_scope"),
    ("Winter", "out_of_scope"),
    ("Grace", "nlu_fallback"),
    ("Will", "human_handoff"),
    ("Espoir", "help"),
    ("Victoire", "goodbye"),
    ("Noor", "change_answer"),
    ("Blessing", "thank"),
    ("Koning", "register_jobseeker"),
]


@pytest.mark.parametrize(("name", "wrong_intent"), WORD_LIKE_NAMES)
@pytest.mark.parametrize("slot", ["given_name", "family_name"])
def test_a_name_that_looks_like_a_word_is_an_answer(name, wrong_intent, slot):
    decision = decide(slot, message(name, wrong_intent, 0.99), "nl")
    assert decision.kind is Kind.ANSWER


@pytest.mark.parametrize(
    "name",
    [
        "De Smet",
        "Van den Broeck",
        "D'Hondt",
        "El Amrani",
        "Nguyễn",
        "Öztürk",
        "Müller-Lüdenscheidt",
        "Daan Peeters",
        "ik heet Daan",
        "je m'appelle Rose",
        "my name is Hope",
    ],
)
def test_names_of_every_shape_are_answers(name):
    assert decide("family_name", message(name, "stop", 0.99), "fr").kind is Kind.ANSWER


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("Stop", "stop"),
        ("help", "help"),
        ("Merci", "thank"),
        ("Bonjour", "greet"),
        ("English", "switch_language"),
        ("hulp", "help"),
    ],
)
def test_a_single_command_word_on_a_name_question_is_asked_about(text, command):
    decision = decide("given_name", message(text, command, 0.99), "en")
    assert decision.kind is Kind.ASK
    assert decision.command.intent == command


def test_the_language_command_knows_which_language():
    decision = decide("given_name", message("English", "switch_language", 0.99), "nl")
    assert decision.command.entities == {"language": "en"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ik wil stoppen", "stop"),
        ("je veux parler à quelqu'un", "human_handoff"),
        ("can we continue in french", "switch_language"),
        ("wat moet ik hier typen", "help"),
    ],
)
def test_a_sentence_with_a_confident_command_interrupts(text, intent):
    assert decide("given_name", message(text, intent, 0.93), "nl").kind is Kind.INTERRUPTION


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback"])
def test_off_topic_is_not_taken_for_a_name(intent):
    decision = decide("given_name", message("wat voor weer wordt het morgen", intent, 0.7), "nl")
    assert decision.kind is Kind.INTERRUPTION


def test_off_topic_misread_as_a_change_is_off_topic_not_a_new_question():
    text = "wie heeft de match gewonnen gisteren"
    decision = decide("postcode", message(text, "change_answer", 0.85), "nl")
    assert decision.kind is Kind.OFF_TOPIC


def test_a_change_that_names_the_answer_interrupts():
    decision = decide(
        "phone", message("mijn postcode is fout", "change_answer", 0.85, field="postcode"), "nl"
    )
    assert decision.kind is Kind.INTERRUPTION


@pytest.mark.parametrize(
    ("slot", "text", "wrong_intent"),
    [
        ("postcode", "9000", "stop"),
        ("postcode", "1000 brussel", "greet"),
        ("phone", "0470 12 34 56", "help"),
        ("birth_date", "12/03/1985", "repeat"),
        ("email", "daan@example.be", "thank"),
        ("education_level", "middelbaar", "help"),
        ("occupation", "kuisvrouw", "thank"),
        ("occupation", "chauffeur", "human_handoff"),
    ],
)
def test_a_valid_answer_wins_over_the_nlu(slot, text, wrong_intent):
    assert decide(slot, message(text, wrong_intent, 0.99), "nl").kind is Kind.ANSWER


def test_a_command_word_is_never_a_postcode():
    assert decide("postcode", message("stop", "stop", 0.99), "nl").kind is Kind.INTERRUPTION


def test_buttons_do_what_they_say():
    assert decide("given_name", message("/stop", "stop", 1.0), "en").kind is Kind.INTERRUPTION
    assert decide("given_name", message("/affirm", "affirm", 1.0), "en").kind is Kind.ANSWER


def test_a_wrong_answer_is_still_an_answer_so_the_validator_explains():
    assert decide("postcode", message("999", "inform", 0.6), "nl").kind is Kind.ANSWER


def test_off_topic_on_the_free_text_work_question_needs_a_sure_nlu():
    sure = message("what is the weather tomorrow", "out_of_scope", 0.97)
    unsure = message("in a restaurant kitchen", "out_of_scope", 0.6)
    assert decide("occupation", sure, "en").kind is Kind.INTERRUPTION
    assert decide("occupation", unsure, "en").kind is Kind.ANSWER


def test_without_a_question_everything_is_left_to_the_dialogue():
    assert decide(None, message("stop", "stop"), "en").kind is Kind.ANSWER


def test_message_reads_rasa_parse_data():
    parsed = Message.from_parse_data(
        {
            "text": "9000",
            "intent": {"name": "inform", "confidence": 0.9},
            "entities": [{"entity": "postcode", "value": "9000"}],
        }
    )
    assert parsed == Message("9000", "inform", 0.9, {"postcode": "9000"})
    assert Message.from_parse_data(None) == Message("", None, 0.0, {})


@pytest.mark.parametrize("junk", ["😀🙈🎉", "<script>alert('x')</script>", "7" * 5000, ""])
def test_junk_is_a_bad_answer_the_validator_explains_not_off_topic(junk):
    decision = decide("national_number", message(junk, "out_of_scope", 0.9), "nl")
    assert decision.kind is Kind.ANSWER


def test_a_several_word_off_topic_phrase_is_not_a_name_when_the_nlu_is_sure():
    sure = message("mopje vertellen", "out_of_scope", 0.97)
    assert decide("given_name", sure, "nl").kind is Kind.INTERRUPTION
    named = message("Daan Storm", "out_of_scope", 0.97, given_name="Daan")
    assert decide("given_name", named, "nl").kind is Kind.ANSWER
    assert decide("family_name", message("Storm", "out_of_scope", 0.99), "nl").kind is Kind.ANSWER


def test_a_document_named_on_a_name_question_is_another_task_not_a_name():
    text = "gezinssamenstelling"
    decision = decide("given_name", message(text, "request_document", 0.97), "nl")
    assert decision.kind is Kind.INTERRUPTION

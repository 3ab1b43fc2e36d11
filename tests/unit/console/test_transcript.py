"""The transcript a counsellor reads: personal data masked inside the texts, whole answers
to masked questions masked, each piece revealable by its item id."""

from __future__ import annotations

import pytest

from bot.console.masking import mask
from bot.console.transcript import Part, collected, masked_text, reveal_item, transcript
from tests.unit.console.helpers import bot, slot, user

AT = 1700000000.0


def asked(field: str | None, text: str) -> list[dict]:
    """The form asks for `field`, the citizen types `text`."""
    return [slot("requested_slot", field, AT), bot(f"Question for {field}?", AT), user(text, AT)]


def citizen_entries(events: list[dict]):
    return [entry for entry in transcript(events) if entry.who == "citizen"]


# --- personal data inside a text --------------------------------------------------------


def test_each_piece_of_personal_data_is_masked_on_its_own_with_its_item():
    text = "Bel 0470 12 34 56 of mail an.peeters@example.be, nr 85.07.30-033.28."
    [entry] = transcript([user(text, AT)])
    assert entry.parts == (
        Part("Bel "),
        Part(mask("0470 12 34 56"), "m0-0", "phone"),
        Part(" of mail "),
        Part(mask("an.peeters@example.be"), "m0-1", "email"),
        Part(", nr "),
        Part(mask("85.07.30-033.28"), "m0-2", "national_number"),
        Part("."),
    )
    assert "0470 12 34 56" not in entry.text and "an.peeters" not in entry.text
    for item, value in (("m0-0", "0470 12 34 56"), ("m0-2", "85.07.30-033.28")):
        assert reveal_item([user(text, AT)], item).text == value


def test_assistant_and_counsellor_messages_are_masked_too():
    events = [
        bot("Your phone: +32 470 12 34 56. Is this correct?", AT),
        bot("I will call 0470 99 88 77.", AT),
    ]
    assistant, counsellor = transcript(events, counsellor_texts=["I will call 0470 99 88 77."])
    assert (assistant.who, counsellor.who) == ("assistant", "counsellor")
    assert assistant.parts[1] == Part(mask("+32 470 12 34 56"), "m0-0", "phone")
    assert counsellor.parts[1] == Part(mask("0470 99 88 77"), "m1-0", "phone")


def test_a_collected_birth_date_is_masked_where_the_assistant_writes_it():
    events = [
        slot("birth_date", "1990-03-12", AT),
        bot("Geboortedatum: 12 maart 1990. Is dit juist?", AT),
        bot("Date de naissance : 12 MARS 1990", AT),
        bot("Born 1990-03-12", AT),
    ]
    shown = ("12 maart 1990", "12 MARS 1990", "1990-03-12")
    for index, (entry, date_text) in enumerate(zip(transcript(events), shown, strict=True)):
        assert date_text not in entry.text
        assert Part(mask(date_text), f"m{index + 1}-0", "birth_date") in entry.parts
    assert reveal_item(events, "m2-0").text == "12 MARS 1990"


def test_a_short_collected_value_masks_no_ordinary_word():
    events = [slot("email", "-", AT), bot("E-mail: - (no e-mail)", AT)]
    [entry] = transcript(events)
    assert entry.parts == (Part("E-mail: - (no e-mail)"),)


# --- whole answers to masked questions --------------------------------------------------


@pytest.mark.parametrize("field", ["national_number", "birth_date", "phone", "email"])
def test_an_answer_to_a_masked_question_is_masked_whole(field):
    typed = "twaalf maart negentig, denk ik"  # no pattern would find it
    events = asked(field, typed)
    [entry] = citizen_entries(events)
    assert entry.parts == (Part(mask(typed), "m2-0", field),)
    piece = reveal_item(events, "m2-0")
    assert (piece.kind, piece.text) == (field, typed)


def test_an_answer_to_another_question_is_shown():
    [entry] = citizen_entries(asked("given_name", "Lotte"))
    assert entry.parts == (Part("Lotte"),)


def test_the_question_is_the_one_asked_last():
    events = [*asked("national_number", "85073003328"), *asked("given_name", "Lotte")]
    first, second = citizen_entries(events)
    assert first.parts[0].kind == "national_number"
    assert second.parts == (Part("Lotte"),)


@pytest.mark.parametrize("handoff_slot", ["handoff_active", "handoff_leaving_message"])
def test_messages_to_a_counsellor_are_not_answers_to_the_paused_form(handoff_slot):
    # The form was at the birth-date question when the citizen asked for a person.
    events = [
        *asked("birth_date", "I want to talk to a person"),
        slot(handoff_slot, True, AT),
        user("I was born in the spring", AT),  # to the counsellor: not masked whole
        user("call 0470 12 34 56", AT),  # but the patterns still apply
        slot(handoff_slot, False, AT),
        bot("Question for birth_date?", AT),
        user("12/03/1990", AT),  # the form's question again: masked whole
    ]
    asked_person, spring, call, answer = citizen_entries(events)
    assert asked_person.parts[0].kind == "birth_date"  # over-masked, revealable
    assert spring.parts == (Part("I was born in the spring"),)
    assert call.parts[1].kind == "phone" and "0470" not in call.text
    assert answer.parts == (Part(mask("12/03/1990"), "m8-0", "birth_date"),)


def test_after_the_form_ends_nothing_is_an_answer():
    events = [
        *asked("email", "an@example.be"),
        {"event": "active_loop", "name": None, "timestamp": AT},
        user("thank you, that was all", AT),
    ]
    _, thanks = citizen_entries(events)
    assert thanks.parts == (Part("thank you, that was all"),)


def test_a_tapped_button_shows_its_title_unmasked():
    buttons = [{"title": "I have no e-mail", "payload": "/inform_no_email"}]
    events = [
        slot("requested_slot", "email", AT),
        bot("What is your e-mail?", AT, buttons),
        user("/inform_no_email", AT),
        user("/unknown_payload", AT),
    ]
    tapped, unknown = citizen_entries(events)
    assert tapped.parts == (Part("[I have no e-mail]"),)
    assert unknown.parts == (Part("[button]"),)
    assert transcript(events)[0].buttons == ("I have no e-mail",)


# --- items and other texts --------------------------------------------------------------


def test_item_ids_of_the_page_and_of_the_reveal_agree():
    events = [
        *asked("national_number", "85.07.30-033.28"),
        *asked("given_name", "mail me at a@b.be or c@d.be"),
    ]
    items = [part.item for entry in transcript(events) for part in entry.parts if part.item]
    assert items == ["m2-0", "m5-0", "m5-1"]
    assert [reveal_item(events, item).text for item in items] == [
        "85.07.30-033.28",
        "a@b.be",
        "c@d.be",
    ]
    assert reveal_item(events, "m5-2") is None and reveal_item(events, "m1-0") is None


def test_a_second_message_at_the_same_masked_question_is_masked_whole_too():
    # An invalid answer and the citizen tries again: both are answers to that question.
    events = [*asked("phone", "my number is secret"), user("04 70 12 34 5", AT)]
    first, second = citizen_entries(events)
    assert first.parts[0].kind == second.parts[0].kind == "phone"
    assert "04 70" not in second.text


def test_a_text_from_outside_the_tracker_is_masked_without_items():
    parts = masked_text("call me on 0470 12 34 56", [slot("phone", "+32470123456", AT)])
    assert parts == (Part("call me on "), Part(mask("0470 12 34 56"), None, "phone"))


def test_collected_fields_are_masked_but_for_the_last_two_characters():
    rows = {
        row.field: row
        for row in collected({"national_number": "85073003328", "given_name": "Lotte"})
    }
    assert rows["national_number"].shown == "•••••••••28" and rows["national_number"].masked
    assert rows["given_name"].shown == "Lotte" and not rows["given_name"].masked


def test_a_restart_forgets_the_question_and_the_pause():
    events = [
        slot("requested_slot", "phone", AT),
        slot("handoff_active", True, AT),
        {"event": "restart", "timestamp": AT},
        user("0470 is my prefix", AT),
        *asked("email", "an at example dot be"),
    ]
    after_restart, email = citizen_entries(events)
    assert after_restart.parts == (Part("0470 is my prefix"),)
    assert email.parts[0].kind == "email"  # no pause left over from before the restart

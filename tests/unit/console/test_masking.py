"""Which stretches of a text are personal data, from the patterns and the collected values."""

from __future__ import annotations

from bot.console.masking import Piece, known_values, mask, split_personal


def test_pieces_put_back_together_give_the_text():
    text = "Nr 85073003328, tel 0470123456, x@y.be; born 12 maart 1990!"
    known = [("birth_date", "12 maart 1990")]
    pieces = split_personal(text, known)
    assert "".join(piece.text for piece in pieces) == text
    assert [(p.kind, p.text) for p in pieces if p.personal] == [
        ("national_number", "85073003328"),
        ("phone", "0470123456"),
        ("email", "x@y.be"),
        ("birth_date", "12 maart 1990"),
    ]


def test_a_text_without_personal_data_is_one_plain_piece():
    assert split_personal("Goedemorgen, ik zoek werk.") == [Piece("Goedemorgen, ik zoek werk.")]
    assert split_personal("") == []


def test_a_known_value_inside_a_found_piece_is_not_cut_twice():
    text = "mail lotte@example.org"
    pieces = split_personal(text, [("email", "lotte@example.org"), ("email", "example.org")])
    assert pieces == [Piece("mail "), Piece("lotte@example.org", "email")]


def test_known_values_from_slot_events_and_slots_in_every_spelling():
    events = [
        {"event": "slot", "name": "birth_date", "value": "1990-03-12"},
        {"event": "slot", "name": "given_name", "value": "Lotte"},  # not a masked field
        {"event": "slot", "name": "email", "value": "-"},  # "no e-mail": too short
        {"event": "slot", "name": "phone", "value": None},
    ]
    known = known_values(events, {"phone": "+32470123456", "national_number": ""})
    assert set(known) == {
        ("birth_date", "1990-03-12"),
        ("birth_date", "12 maart 1990"),
        ("birth_date", "12 mars 1990"),
        ("birth_date", "12 March 1990"),
        ("phone", "+32470123456"),
    }
    assert [len(value) for _, value in known] == sorted((len(v) for _, v in known), reverse=True)


def test_mask_keeps_the_last_two_characters():
    assert mask("85073003328") == "•••••••••28"
    assert mask("ab") == "••" and mask("") == ""

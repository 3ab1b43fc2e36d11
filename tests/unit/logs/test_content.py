"""What a citizen said or was told is taken out of log arguments, fields and known lines."""

from __future__ import annotations

from rasa.shared.core.events import ActiveLoop, BotUttered, SlotSet, UserUttered

from bot.logs.content import REDACTED, redact_arguments, redact_field, redact_text


def test_content_keys_are_redacted_at_any_depth_and_other_fields_are_kept():
    update = {
        "update_id": 100001,
        "message": {"text": "Wannes", "chat": {"id": 9}},
        "callback_query": {"data": "/affirm", "from": {"id": 9, "first_name": "Wannes"}},
    }
    assert redact_arguments("telegram.Bot", (update,)) == (
        {
            "update_id": 100001,
            "message": REDACTED,
            "callback_query": {"data": "/affirm", "from": {"id": 9, "first_name": REDACTED}},
        },
    )


def test_entities_keep_their_type_and_lose_their_value():
    entities = [{"entity": "family_name", "value": "Vercauteren", "start": 0, "end": 11}]
    [entity] = redact_field("entities", entities)
    assert entity == {"entity": REDACTED, "value": REDACTED, "start": 0, "end": 11}


def test_rasa_events_and_lists_of_them_are_described_without_values():
    events = [
        UserUttered("Vercauteren", intent={"name": "inform"}),
        SlotSet("family_name", "Vercauteren"),
        BotUttered("Dag Wannes Vercauteren"),
        ActiveLoop("registration_form"),
    ]
    described = redact_field("rasa_events", events)
    assert described == [
        "UserUttered(inform)",
        "SlotSet(family_name)",
        "BotUttered",
        "ActiveLoop(registration_form)",
    ]
    assert redact_arguments("rasa.core", (events[1],)) == ("SlotSet(family_name)",)


def test_a_content_field_that_is_no_known_object_is_redacted_whole():
    assert redact_field("slot_values", {"birth_date": "1972-11-19"}) == REDACTED
    assert redact_field("Text", "Wannes") == REDACTED


def test_mapping_arguments_keep_their_keys_for_named_formats():
    assert redact_arguments("x", {"text": "Wannes", "count": 2}) == {
        "text": REDACTED,
        "count": 2,
    }


def test_sql_parameters_and_rows_are_redacted_whatever_they_hold():
    assert redact_arguments("sqlalchemy.engine.Engine", ("[cached]", ("Wannes", 3))) == (
        REDACTED,
        REDACTED,
    )


def test_known_content_lines_keep_their_first_words_only():
    line = 'Received NLG response: {"text": "Dag Wannes"}'
    assert redact_text("rasa.core.nlg.callback", line) == f"Received NLG response: {REDACTED}"
    assert redact_text("rasa.core.nlg", line) == line  # another logger: not this rule
    packet = 'abc: Received packet MESSAGE data 2["user_uttered",{"message":"Wannes"}]'
    assert redact_text("engineio.server", packet) == (
        f"abc: Received packet MESSAGE data {REDACTED}"
    )

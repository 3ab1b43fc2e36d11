"""Plausible answers: never an error whatever the message, valid values are recognised as
the answer to their question, and reading a message takes time in proportion to it."""

from __future__ import annotations

import time
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.geo import all_postcodes
from bot.understanding.answers import (
    CLOSED_SLOTS,
    CONFIRM_SLOTS,
    FREE_TEXT_SLOTS,
    MAX_OCCUPATION_CHARS,
    clean_free_text,
    is_plausible_answer,
    name_answer,
    occupation_answer,
    strip_name_prefix,
)
from bot.validators import remove_invisible, validate_name
from tests.unit.strategies import PROFILE, QUICK, hostile_text, huge_text

SLOTS = (
    *FREE_TEXT_SLOTS,
    *CLOSED_SLOTS,
    *CONFIRM_SLOTS,
    "email",
    "reference",
    "national_number",
    "phone",
    "postcode",
    "birth_date",
    "not_a_slot",
)
intents = st.sampled_from([None, "affirm", "deny", "inform", "stop", "nlu_fallback"])
entity_values = st.one_of(st.none(), hostile_text(max_size=30), st.integers(), st.booleans())
PREFIXES = [
    "ik heet",
    "Ik heet:",
    "mijn naam is",
    "mijn voornaam is",
    "je m'appelle",
    "Je m’appelle",
    "mon nom est",
    "c'est",
    "my name is",
    "My first name is,",
    "I'm",
    "it's",
]


@pytest.mark.parametrize("slot", SLOTS)
@QUICK
@given(
    text=hostile_text(),
    intent=intents,
    entity=entity_values,
    language=st.sampled_from(["nl", "fr", "en"]),
)
def test_any_message_is_read_without_error(
    slot: str, text: str, intent: str | None, entity: object, language: str
) -> None:
    entities = {} if entity is None else {slot: entity}
    answer = is_plausible_answer(slot, text, intent=intent, entities=entities, language=language)
    assert isinstance(answer, bool)


@PROFILE
@given(
    prefix=st.sampled_from(PREFIXES),
    name=st.sampled_from(["Daan", "Marie-Claire", "O'Brien", "Nguyễn Văn An", "El Amrani"]),
    spaces=st.sampled_from([" ", "  ", "\t", " \u00a0"]),
)
def test_a_name_after_a_short_introduction_is_the_name(prefix: str, name: str, spaces: str) -> None:
    text = f"{prefix}{spaces}{name}"
    assert strip_name_prefix(text) == name
    assert name_answer(text) == name
    assert is_plausible_answer("given_name", text, intent=None, entities={}, language="nl")


@PROFILE
@given(text=hostile_text(), entity=st.one_of(st.none(), hostile_text(max_size=30)))
def test_a_name_answer_is_a_valid_name(text: str, entity: str | None) -> None:
    found = name_answer(text, entity)
    assert found is None or validate_name(found).ok


@pytest.mark.parametrize("prefix", PREFIXES[::3])
@pytest.mark.parametrize("tail", ["", " :"])
def test_a_long_run_of_spaces_is_read_in_linear_time(prefix: str, tail: str) -> None:
    # "\s*[:,]?\s+" used to take minutes here (quadratic backtracking).
    text = prefix + " " * 200_000 + tail
    started = time.perf_counter()
    strip_name_prefix(text)
    name_answer(text)
    assert time.perf_counter() - started < 2.0


@settings(QUICK, max_examples=10)
@given(text=huge_text())
def test_huge_messages_are_read_without_error(text: str) -> None:
    for slot in ("given_name", "occupation", "delivery", "postcode", "reference"):
        is_plausible_answer(slot, text, intent=None, entities={}, language="nl")


@PROFILE
@given(text=hostile_text(), entity=st.one_of(st.none(), st.sampled_from(["cook", "nurse"])))
def test_an_occupation_is_clean_short_text_accepted_again_as_itself(
    text: str, entity: str | None
) -> None:
    found = occupation_answer(text, entity)
    if found is None:
        return
    assert found == clean_free_text(found)
    assert 0 < len(found) <= max(MAX_OCCUPATION_CHARS, len(entity or ""))
    assert occupation_answer(found) == found


@PROFILE
@given(text=hostile_text())
def test_clean_free_text_removes_what_no_one_types(text: str) -> None:
    cleaned = clean_free_text(text)
    assert clean_free_text(cleaned) == cleaned
    assert remove_invisible(cleaned) == cleaned
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in cleaned)
    assert cleaned == " ".join(cleaned.split())


def national_number(born: date, counter: int) -> str:
    first_nine = f"{born:%y%m%d}{counter:03d}"
    base = int(("2" if born.year >= 2000 else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


@PROFILE
@given(
    born=st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 1, 1)),
    counter=st.integers(min_value=1, max_value=998),
    postcode=st.sampled_from(all_postcodes()),
    language=st.sampled_from(["nl", "fr", "en"]),
)
def test_valid_values_are_plausible_answers_to_their_question(
    born: date, counter: int, postcode: str, language: str
) -> None:
    answers = {
        "national_number": national_number(born, counter),
        "birth_date": born.strftime("%d/%m/%Y"),
        "postcode": postcode,
        "phone": "0470 12 34 56",
        "email": "an.peeters@example.org",
        "reference": "dr-4tq8zp1m",
        "given_name": "Daan",
        "family_name": "Van den Broeck",
        "occupation": "kok",
    }
    for slot, text in answers.items():
        assert is_plausible_answer(slot, text, intent=None, entities={}, language=language), slot

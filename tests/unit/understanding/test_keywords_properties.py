"""Closed answers typed as text: every known phrase maps to its value however it is
written; normalising is idempotent and plain ASCII; no text makes matching fail."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.understanding.keywords import CANONICAL_VALUES, _phrases, exact, match, normalise
from tests.unit.strategies import PROFILE, QUICK, hostile_text, huge_text

ENTITIES = sorted(CANONICAL_VALUES)
PHRASES = sorted(
    (entity, phrase, value) for entity in ENTITIES for phrase, value in _phrases()[entity].items()
)
decorations = st.sampled_from(
    [("", ""), ("  ", "!"), ("«", "»"), ("", "."), ("", " ?"), ("\u200b", "\u200f")]
)  # fmt: skip
casings = st.sampled_from([str.upper, str.lower, str.title, str])


@PROFILE
@given(text=hostile_text())
def test_normalising_gives_plain_lower_case_words_and_is_idempotent(text: str) -> None:
    normalised = normalise(text)
    assert re.fullmatch(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?", normalised), normalised
    assert normalise(normalised) == normalised


@PROFILE
@given(text=hostile_text())
def test_compatibility_forms_normalise_like_their_plain_letters(text: str) -> None:
    assert normalise(unicodedata.normalize("NFKC", text)) == normalise(text)


@PROFILE
@given(entry=st.sampled_from(PHRASES), decoration=decorations, casing=casings)
def test_every_known_phrase_gives_its_value_however_it_is_written(
    entry: tuple[str, str, str], decoration: tuple[str, str], casing
) -> None:
    entity, phrase, value = entry
    typed = decoration[0] + casing(phrase) + decoration[1]
    assert exact(entity, typed) == value
    assert match(entity, typed) == value


@pytest.mark.parametrize("entity", [*ENTITIES, "not_an_entity"])
@QUICK
@given(text=hostile_text())
def test_any_text_matches_a_canonical_value_or_nothing(entity: str, text: str) -> None:
    found = match(entity, text)
    assert found is None or found in CANONICAL_VALUES[entity]
    exactly = exact(entity, text)
    assert exactly is None or exactly == found


@QUICK
@given(text=huge_text(max_repeat=5_000))
def test_long_texts_are_matched_without_error(text: str) -> None:
    for entity in ENTITIES:
        found = match(entity, text)
        assert found is None or found in CANONICAL_VALUES[entity]

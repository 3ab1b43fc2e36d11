"""Personal data in free text is found wherever a citizen may have typed it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy.personal_data import (
    EMAIL,
    NATIONAL_NUMBER,
    PHONE,
    find_personal_data,
    mask_personal_data,
)


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("mijn nummer is 85.07.30-033.28 ok", "85.07.30-033.28", NATIONAL_NUMBER),
        ("rrn 85073003328", "85073003328", NATIONAL_NUMBER),
        ("bis: 85 47 30 033 28.", "85 47 30 033 28", NATIONAL_NUMBER),
        ("bel me op +32 470 12 34 56 aub", "+32 470 12 34 56", PHONE),
        ("gsm 0470/12.34.56", "0470/12.34.56", PHONE),
        ("tel 02 123 45 67", "02 123 45 67", PHONE),
        ("0032470123456", "0032470123456", PHONE),
        ("mail: jan.peeters+cv@gmail.com.", "jan.peeters+cv@gmail.com", EMAIL),
        ("écrivez à élodie@exemple.be", "élodie@exemple.be", EMAIL),
    ],
)
def test_each_kind_is_found_inside_a_sentence(text, value, kind):
    [found] = find_personal_data(text)
    assert (found.kind, found.value) == (kind, value)
    assert value not in mask_personal_data(text)
    assert f"<{kind}>" in mask_personal_data(text)


@pytest.mark.parametrize(
    "text",
    ["postcode 9000", "reference DR-4TQ8ZP1M", "born on 03/05/1990", "I am 45 years old", ""],
)
def test_ordinary_text_is_left_alone(text):
    assert find_personal_data(text) == []
    assert mask_personal_data(text) == text


@settings(max_examples=200, deadline=None, database=None)
@given(
    prefix=st.text(alphabet="abc déf,.!?", max_size=20),
    digits=st.lists(st.integers(0, 9), min_size=11, max_size=11),
    separator=st.sampled_from(["", ".", "-", " "]),
    suffix=st.text(alphabet="abc déf,.!?", max_size=20),
)
def test_any_national_number_shape_is_masked(prefix, digits, separator, suffix):
    d = "".join(map(str, digits))
    number = separator.join([d[:2], d[2:4], d[4:6], d[6:9], d[9:]])
    masked = mask_personal_data(f"{prefix} {number} {suffix}")
    assert d not in masked.replace(separator, "") if separator else d not in masked
    assert "<national_number>" in masked


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=200))
def test_masking_never_fails_and_is_stable(text):
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once

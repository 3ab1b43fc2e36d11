"""The helpers every validator uses on raw text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.validators import (
    collapse_spaces,
    fold_accents,
    is_blank_or_noise,
    normalize_digits,
    truncate_for_processing,
)
from tests.unit.strategies import PROFILE, hostile_text

decimal_digits = st.characters(categories=["Nd"])


@PROFILE
@given(text=hostile_text(max_size=2000), limit=st.integers(min_value=-5, max_value=600))
def test_truncation_is_a_bounded_prefix(text: str, limit: int) -> None:
    cut = truncate_for_processing(text, limit=limit)
    assert len(cut) <= max(limit, 0)
    assert text.strip().startswith(cut)
    assert truncate_for_processing(cut, limit=limit) == cut


@PROFILE
@given(digit=decimal_digits, text=hostile_text(max_size=40))
def test_every_decimal_digit_becomes_its_ascii_digit(digit: str, text: str) -> None:
    assert normalize_digits(digit) == str(unicodedata.decimal(digit))
    normalized = normalize_digits(text + digit)
    assert normalized.endswith(str(unicodedata.decimal(digit)))
    assert normalize_digits(normalized) == normalized
    assert len(normalized) == len(text) + 1


@PROFILE
@given(text=hostile_text())
def test_folding_and_collapsing_are_idempotent(text: str) -> None:
    folded = fold_accents(text)
    assert fold_accents(folded) == folded
    assert not any(unicodedata.combining(ch) for ch in folded)
    collapsed = collapse_spaces(text)
    assert collapse_spaces(collapsed) == collapsed
    assert collapsed == collapsed.strip() and "  " not in collapsed


@PROFILE
@given(text=hostile_text())
def test_compatibility_forms_fold_like_their_plain_letters(text: str) -> None:
    # "𝐌𝐚𝐚𝐫𝐭" (a "fancy font" keyboard), "ｍａａｒｔ" (full width) fold like "maart".
    assert fold_accents(unicodedata.normalize("NFKC", text)) == fold_accents(text)


@PROFILE
@given(text=hostile_text())
def test_noise_is_text_without_a_letter_or_a_digit(text: str) -> None:
    has_content = any(unicodedata.category(ch)[0] in "LN" for ch in text)
    assert is_blank_or_noise(text) is not has_content

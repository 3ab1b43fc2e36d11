"""Noise detection and truncation of raw messages."""

from __future__ import annotations

import pytest

from bot.validators import (
    collapse_spaces,
    fold_accents,
    is_blank_or_noise,
    normalize_digits,
    truncate_for_processing,
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\t  ",
        "\u00a0",
        "...",
        "?!",
        "😀",
        "👍🏽",
        "🇧🇪",
        "👨‍👩‍👧",
        "-- ~~ **",
        "<>",
        "\u200b",
    ],
)
def test_blank_or_noise(text: str) -> None:
    assert is_blank_or_noise(text) is True


@pytest.mark.parametrize("text", ["ja", "9000", "1", "é", "😀 ok", "محمد", "伟", "  x  "])
def test_not_noise(text: str) -> None:
    assert is_blank_or_noise(text) is False


def test_none_is_noise() -> None:
    assert is_blank_or_noise(None) is True


def test_short_text_is_returned_stripped() -> None:
    assert truncate_for_processing("  hallo  ") == "hallo"


def test_long_text_is_cut_to_the_limit() -> None:
    text = "a" * 5000
    assert truncate_for_processing(text) == "a" * 500
    assert truncate_for_processing(text, limit=10) == "a" * 10


def test_text_at_the_limit_is_kept_whole() -> None:
    assert truncate_for_processing("b" * 500) == "b" * 500


def test_truncation_does_not_split_an_accent() -> None:
    # "e" + combining acute accent straddling the limit: both go.
    text = "a" * 9 + "e\u0301" + "z" * 10
    assert truncate_for_processing(text, limit=10) == "a" * 9


def test_truncation_does_not_split_an_emoji_sequence() -> None:
    family = "👨\u200d👩\u200d👧"
    text = "a" * 8 + family + "z"
    cut = truncate_for_processing(text, limit=10)
    assert cut == "a" * 8
    assert "\u200d" not in cut


def test_truncation_does_not_split_a_flag() -> None:
    text = "a" * 9 + "🇧🇪" + "z"
    assert truncate_for_processing(text, limit=10) == "a" * 9


def test_truncation_removes_trailing_whitespace_at_the_cut() -> None:
    assert truncate_for_processing("abcd     efgh", limit=6) == "abcd"


@pytest.mark.parametrize("limit", [0, -5])
def test_non_positive_limit_gives_empty_text(limit: int) -> None:
    assert truncate_for_processing("hello", limit=limit) == ""


def test_truncate_none() -> None:
    assert truncate_for_processing(None) == ""


def test_normalize_digits_converts_other_scripts() -> None:
    assert normalize_digits("٩٠٠٠") == "9000"  # Arabic-Indic
    assert normalize_digits("９０００") == "9000"  # full width
    assert normalize_digits("x²") == "x²"  # not a decimal digit: kept


def test_fold_accents_and_collapse_spaces() -> None:
    assert fold_accents("Février AOÛT") == "fevrier aout"
    assert collapse_spaces("  Van \u00a0 den\tBroeck ") == "Van den Broeck"

"""Language detection answers a supported language or nothing, whatever the text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.settings import SUPPORTED_LANGUAGES
from bot.understanding.language import MIN_LETTERS, detect_language
from tests.unit.strategies import QUICK, hostile_text, huge_text

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç", min_size=2, max_size=8)


@QUICK
@given(text=st.one_of(hostile_text(max_size=300), huge_text(max_repeat=2_000)))
def test_any_text_gives_a_supported_language_or_none(text: str) -> None:
    assert detect_language(text) in (None, *SUPPORTED_LANGUAGES)


@QUICK
@given(word=words, rest=st.lists(words, max_size=5))
def test_a_command_or_too_little_text_keeps_the_current_language(
    word: str, rest: list[str]
) -> None:
    assert detect_language("/" + " ".join([word, *rest])) is None
    assert detect_language(word) is None  # one word is never enough
    short = " ".join([word, *rest])
    if sum(len(w) for w in short.split()) < MIN_LETTERS:
        assert detect_language(short) is None


@QUICK
@given(
    sentence=st.sampled_from(
        [("ik wil mij inschrijven als werkzoekende", "nl"),
         ("je voudrais m'inscrire comme demandeur d'emploi", "fr"),
         ("i need a birth certificate please", "en")]
    ),
    noise=st.lists(st.sampled_from(["0470123456", "jan@example.be", "85.07.30-033.28",
                                    "/start", "9000"]), max_size=3),
)  # fmt: skip
def test_numbers_addresses_and_codes_do_not_change_the_language(
    sentence: tuple[str, str], noise: list[str]
) -> None:
    text, language = sentence
    assert detect_language(" ".join([text, *noise])) == language

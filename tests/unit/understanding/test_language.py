import pytest

from bot.understanding.language import detect_language


@pytest.mark.parametrize(
    "text",
    ["ok", "ja", "merci", "nee", "oui", "yes", "Jan Peeters", "12/03/1985", "", None, "/greet"],
)
def test_short_or_ambiguous_replies_keep_the_current_language(text):
    assert detect_language(text) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ik wil mij inschrijven als werkzoekende", "nl"),
        ("je voudrais m'inscrire comme demandeur d'emploi", "fr"),
        ("i need a birth certificate please", "en"),
        ("bonjour je m appelle Marie", "fr"),
        ("waar staat mijn aanvraag", "nl"),
    ],
)
def test_clear_sentences_are_recognised(text, language):
    assert detect_language(text) == language

import pytest

from bot.understanding.keywords import match, normalise


def test_normalise_strips_accents_and_case():
    assert normalise("  Écrit  À la Commune! ") == "ecrit a la commune"


@pytest.mark.parametrize(
    ("entity", "text", "value"),
    [
        ("delivery", "per post", "post"),
        ("delivery", "By e-mail", "email"),
        ("education_level", "Middelbare school", "secondary"),
        ("education_level", "École primaire", "primary"),
        ("document_type", "Birth certificate", "birth_certificate"),
        ("field", "postcode", "postcode"),
        ("language", "Français", "fr"),
    ],
)
def test_button_titles_and_synonyms_map_to_canonical_values(entity, text, value):
    assert match(entity, text) == value


def test_unknown_text_matches_nothing():
    assert match("delivery", "banana split") is None
    assert match("delivery", "") is None

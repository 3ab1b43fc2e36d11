"""The guard that keeps messages naming our documents from being called off-topic."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_plugins.nlu.domain_vocabulary_guard import (
    guard,
    is_full_name,
    is_plainly_in_scope,
    without_out_of_scope,
)
from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES


def _parsed(text: str, ranking: list[tuple[str, float]]) -> Message:
    items = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": dict(items[0]), "intent_ranking": items})


@pytest.mark.parametrize(
    "text",
    [
        "attest van woonplaats graag meneer",
        "un extrait de casier judiciaire svp madame",
        "household composition for my landlord pls",
        "any news for Q-3VB6NM1X",
    ],
)
def test_a_message_naming_a_document_or_a_reference_is_taken_back_into_scope(text: str) -> None:
    message = _parsed(text, [("out_of_scope", 0.6), ("request_document", 0.3), ("inform", 0.1)])

    guard(message)

    assert message.get("intent")["name"] == "request_document"
    assert message.get("intent")["confidence"] == pytest.approx(0.75)
    assert [item["name"] for item in message.get("intent_ranking")] == [
        "request_document",
        "inform",
    ]


@pytest.mark.parametrize(
    "text", ["Wisdom Nwosu", "Van den Broeck", "Jean-Pierre D'Hondt", "Nguyễn Văn An", "Öztürk Ali"]
)
def test_a_full_name_typed_alone_is_an_answer_not_off_topic(text: str) -> None:
    message = _parsed(text, [("out_of_scope", 0.7), ("inform", 0.2), ("greet", 0.1)])

    guard(message)

    assert message.get("intent")["name"] == "inform"


@pytest.mark.parametrize(
    "text",
    [
        "Pizza",  # phones capitalise the first word: one word is left to DIET
        "Weather tomorrow",
        "de Smet",
        "Marie 2",
        "What Is The Weather Like Today In Brussels",  # more than four words
        "van Dijk",
    ],
)
def test_other_capitalised_text_is_not_taken_for_a_name(text: str) -> None:
    assert not is_full_name(text)


def test_an_off_topic_message_stays_off_topic() -> None:
    message = _parsed("zet de thermostaat lager", [("out_of_scope", 0.9), ("inform", 0.1)])

    guard(message)

    assert message.get("intent")["name"] == "out_of_scope"


def test_an_in_scope_prediction_is_left_alone() -> None:
    message = _parsed("attest van woonst", [("request_document", 0.9), ("out_of_scope", 0.1)])

    guard(message)

    assert message.get("intent") == {"name": "request_document", "confidence": 0.9}
    assert len(message.get("intent_ranking")) == 2


def test_renormalised_ranking_is_sorted_and_sums_to_one() -> None:
    ranking = without_out_of_scope(
        [
            {"name": "out_of_scope", "confidence": 0.5},
            {"name": "inform", "confidence": 0.1},
            {"name": "request_document", "confidence": 0.4},
        ]
    )

    assert [item["name"] for item in ranking] == ["request_document", "inform"]
    assert sum(item["confidence"] for item in ranking) == pytest.approx(1.0)


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
@pytest.mark.parametrize(
    "source", ["data/nlu/{language}/out_of_scope.yml", "tests/nlu/{language}.yml"]
)
def test_no_off_topic_example_is_plainly_in_scope(language: str, source: str) -> None:
    """The guard's premise: off-topic examples never name a document nor are a name."""
    data = load_data(str(PROJECT_ROOT / source.format(language=language)))
    naming = [
        m.get("text")
        for m in data.intent_examples
        if m.get("intent") == "out_of_scope" and is_plainly_in_scope(m.get("text"))
    ]

    assert naming == []

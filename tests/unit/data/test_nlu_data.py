"""The training data covers the contract, and the held-out set is really held out."""

import re
from collections import Counter

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES
from bot.understanding.commands import BUTTON_ONLY_INTENTS

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
# Every intent a citizen can type (button-only intents have no examples by design).
CONTRACT_INTENTS = set(DOMAIN["intents"]) - BUTTON_ONLY_INTENTS
MIN_TRAIN, MIN_TEST = 40, 10


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.fixture(scope="module")
def train():
    return {
        lang: load_data(str(PROJECT_ROOT / "data" / "nlu" / lang)) for lang in SUPPORTED_LANGUAGES
    }


@pytest.fixture(scope="module")
def test():
    return {
        lang: load_data(str(PROJECT_ROOT / "tests" / "nlu" / f"{lang}.yml"))
        for lang in SUPPORTED_LANGUAGES
    }


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_intent_has_enough_training_examples(train, language):
    counts = Counter(m.get("intent") for m in train[language].intent_examples)
    assert set(counts) == CONTRACT_INTENTS
    assert {i: n for i, n in counts.items() if n < MIN_TRAIN} == {}


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_every_intent_has_enough_held_out_examples(test, language):
    counts = Counter(m.get("intent") for m in test[language].intent_examples)
    assert set(counts) == CONTRACT_INTENTS
    assert {i: n for i, n in counts.items() if n < MIN_TEST} == {}


def test_held_out_examples_are_never_trained_on(train, test):
    trained = {_normalise(m.get("text")) for data in train.values() for m in data.intent_examples}
    leaked = [
        m.get("text")
        for data in test.values()
        for m in data.intent_examples
        if _normalise(m.get("text")) in trained
    ]
    assert leaked == []


@pytest.mark.parametrize("language", SUPPORTED_LANGUAGES)
def test_entities_are_contract_entities(train, language):
    assert train[language].entities <= set(DOMAIN["entities"])

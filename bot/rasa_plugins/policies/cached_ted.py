"""Rasa's TEDPolicy, with its predictions remembered for dialogue states it has seen.

Rasa asks every policy for a prediction after each action, so a turn runs TED two to
four times, and each run is a TensorFlow inference: about a fifth of the Rasa server's
CPU per turn (py-spy, issue 12). Without end-to-end text features, TED's prediction
depends only on the featurized dialogue states of the last `max_history` turns
(intents, entities, slots, active loop, previous actions), and inference is
deterministic. Citizens filling in the same forms pass through the same states again
and again, so the prediction for a state sequence is kept in a bounded LRU cache and
the inference is skipped the next time. A model that uses text features is never
cached: its input is the citizen's own words.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from typing import Any

from rasa.core.featurizers.precomputation import MessageContainerForCoreFeaturization
from rasa.core.policies.policy import PolicyPrediction, SupportedData
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

logger = logging.getLogger(__name__)

CACHE_SIZE = 20_000


class PredictionCache:
    """A bounded, thread-safe LRU map from a state key to a prediction."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._items: OrderedDict[str, PolicyPrediction] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> PolicyPrediction | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: str, prediction: PolicyPrediction) -> None:
        with self._lock:
            self._items[key] = prediction
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def copy_of(prediction: PolicyPrediction) -> PolicyPrediction:
    """A prediction the caller may change without changing the cached one."""
    return PolicyPrediction(
        list(prediction.probabilities),
        prediction.policy_name,
        prediction.policy_priority,
        list(prediction.events),
        list(prediction.optional_events),
        prediction.is_end_to_end_prediction,
        prediction.is_no_user_prediction,
        prediction.diagnostic_data,
        prediction.hide_rule_turn,
        prediction.action_metadata,
    )


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True
)
class CachedTEDPolicy(TEDPolicy):
    """TEDPolicy that skips inference for a sequence of dialogue states it has seen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prediction_cache = PredictionCache()

    def _uses_text(self) -> bool:
        return bool(self.only_e2e or TEXT in (self.fake_features or {}))

    def state_key(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None,
    ) -> str:
        """The states TED's input is made of, as `_featurize_for_prediction` builds them."""
        ml_data_only = self.supported_data() == SupportedData.ML_DATA
        states = self.featurizer.prediction_states(
            [tracker],
            domain,
            use_text_for_last_user_input=False,
            ignore_rule_only_turns=ml_data_only,
            rule_only_data=rule_only_data,
            ignore_action_unlikely_intent=ml_data_only,
        )
        return json.dumps(states, sort_keys=True, default=sorted)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        precomputations: MessageContainerForCoreFeaturization | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        if self.model is None or self._uses_text():
            return super().predict_action_probabilities(
                tracker, domain, rule_only_data, precomputations, **kwargs
            )
        key = self.state_key(tracker, domain, rule_only_data)
        cached = self.prediction_cache.get(key)
        if cached is not None:
            return copy_of(cached)
        prediction = super().predict_action_probabilities(
            tracker, domain, rule_only_data, precomputations, **kwargs
        )
        self.prediction_cache.put(key, copy_of(prediction))
        return prediction

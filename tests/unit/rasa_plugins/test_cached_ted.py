"""CachedTEDPolicy: the same prediction as TED, with one inference per dialogue state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT

from bot.rasa_plugins.policies.cached_ted import CachedTEDPolicy, PredictionCache

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, inform]
entities: [postcode]
slots:
  postcode:
    type: text
    mappings: [{type: from_entity, entity: postcode}]
responses:
  utter_greet:
  - text: hi
  utter_ask_postcode:
  - text: which postcode
"""
)


@pytest.fixture
def policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CachedTEDPolicy:
    """A CachedTEDPolicy whose TensorFlow inference is replaced by a counter."""
    made = CachedTEDPolicy.create(
        {**CachedTEDPolicy.get_default_config(), "max_history": 3},
        LocalModelStorage(tmp_path),
        Resource("ted"),
        ExecutionContext(GraphSchema({}), "test"),
    )
    made.model = object()  # trained, as far as the cache is concerned
    made.inferences = []  # type: ignore[attr-defined]

    def fake_inference(self: TEDPolicy, tracker: DialogueStateTracker, *_: Any, **__: Any):
        self.inferences.append(tracker.sender_id)  # type: ignore[attr-defined]
        number = len(self.inferences)  # type: ignore[attr-defined]
        return PolicyPrediction([number / 10, 0.5], "CachedTEDPolicy", 1)

    monkeypatch.setattr(TEDPolicy, "predict_action_probabilities", fake_inference)
    return made


def tracker(sender: str, intent: str, postcode: str | None = None) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_listen"),
        UserUttered(f"some words {sender}", {"name": intent, "confidence": 0.9}),
    ]
    if postcode:
        events.append(SlotSet("postcode", postcode))
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def test_the_same_states_run_one_inference(policy: CachedTEDPolicy) -> None:
    first = policy.predict_action_probabilities(tracker("a", "greet"), DOMAIN)
    # Another citizen, other words, the same intent: the same dialogue states.
    second = policy.predict_action_probabilities(tracker("b", "greet"), DOMAIN)
    assert policy.inferences == ["a"]
    assert second.probabilities == first.probabilities
    assert policy.prediction_cache.hits == 1


def test_different_states_run_their_own_inference(policy: CachedTEDPolicy) -> None:
    greet = policy.predict_action_probabilities(tracker("a", "greet"), DOMAIN)
    inform = policy.predict_action_probabilities(tracker("b", "inform"), DOMAIN)
    with_slot = policy.predict_action_probabilities(tracker("c", "inform", "9000"), DOMAIN)
    assert policy.inferences == ["a", "b", "c"]
    assert len({tuple(p.probabilities) for p in (greet, inform, with_slot)}) == 3


def test_a_caller_changing_a_prediction_does_not_change_the_cache(
    policy: CachedTEDPolicy,
) -> None:
    first = policy.predict_action_probabilities(tracker("a", "greet"), DOMAIN)
    expected = list(first.probabilities)
    first.probabilities[0] = 99.0
    again = policy.predict_action_probabilities(tracker("b", "greet"), DOMAIN)
    again.probabilities[1] = 42.0
    third = policy.predict_action_probabilities(tracker("c", "greet"), DOMAIN)
    assert third.probabilities == expected


def test_a_model_that_reads_text_is_never_cached(policy: CachedTEDPolicy) -> None:
    policy.fake_features[TEXT] = []
    policy.predict_action_probabilities(tracker("a", "greet"), DOMAIN)
    policy.predict_action_probabilities(tracker("b", "greet"), DOMAIN)
    assert policy.inferences == ["a", "b"]
    assert len(policy.prediction_cache) == 0


def test_the_cache_is_bounded_and_forgets_the_least_recent() -> None:
    cache = PredictionCache(size=2)
    for key in ("a", "b", "a", "c"):  # "b" is now the least recently used
        if cache.get(key) is None:
            cache.put(key, PolicyPrediction([1.0], "x"))
    assert len(cache) == 2
    assert cache.get("b") is None
    assert cache.get("a") is not None

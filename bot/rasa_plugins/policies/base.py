"""The shape shared by our policies: one next action chosen by a rule on the tracker.

They learn nothing (`is_trainable=False` and an empty `train`); a subclass sets its
default priority and implements `choose`. A prediction of an action the domain does
not know is no prediction, so a model trained without the action stays safe.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class Choice(NamedTuple):
    action: str
    # A form's next step is a "no user" prediction, which Rasa ranks above every
    # prediction from user input; a policy that must outrank the form says so here.
    outranks_forms: bool = False


class RuleOnTrackerPolicy(Policy):
    """Base class: subclasses set `PRIORITY` and implement `choose`."""

    PRIORITY: ClassVar[int]

    @classmethod
    def get_default_config(cls) -> dict[str, Any]:
        return {"priority": cls.PRIORITY}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(
        self,
        training_trackers: list[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        result = self._default_predictions(domain)
        choice = self.choose(tracker)
        if choice is None or choice.action not in domain.action_names_or_texts:
            return self._prediction(result)
        result[domain.index_for_action(choice.action)] = 1.0
        return self._prediction(result, is_no_user_prediction=choice.outranks_forms)

    def choose(self, tracker: DialogueStateTracker) -> Choice | None:
        raise NotImplementedError

"""validate_status_form: a reference like JS-7K2M9QXA, DR-4TQ8ZP1M or Q-8H3KD0WX."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.forms.base import CitizenFormValidation
from bot.tasks.references import find_reference


class ValidateStatusForm(CitizenFormValidation):
    fields = ("reference",)

    def name(self) -> str:
        return "validate_status_form"

    async def validate_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        candidate = find_reference(str(value or ""))
        if candidate is None:
            return self.reject("reference", "utter_invalid_reference", dispatcher, tracker)
        return self.accept("reference", candidate)

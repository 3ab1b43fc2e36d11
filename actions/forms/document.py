"""validate_document_form: explain the document, collect only what is missing."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import say
from actions.forms.registration import ValidateRegistrationForm
from bot.tasks.fields import DELIVERY_METHODS, DOCUMENT_TYPES
from bot.tasks.registration import NO_EMAIL


class ValidateDocumentForm(ValidateRegistrationForm):
    """Reuses the registration's checks for the national number and e-mail."""

    fields = ("document_type", "national_number", "delivery", "email")
    confirm_slot = "document_confirmed"
    closed_answers = ("document_type", "delivery")
    change_targets = {
        "document_type": ("document_type",),
        "national_number": ("national_number",),
        "delivery": ("delivery",),
        "email": ("email",),
    }

    def name(self) -> str:
        return "validate_document_form"

    def skip_field(self, slot: str, tracker: Tracker) -> bool:
        return slot == "email" and tracker.get_slot("delivery") != "email"

    async def validate_document_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value not in DOCUMENT_TYPES:
            return self.reject("document_type", "utter_invalid_choice", dispatcher, tracker)
        say(dispatcher, tracker, f"utter_document_info_{value}")
        return self.accept("document_type", value)

    async def validate_delivery(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value not in DELIVERY_METHODS:
            return self.reject("delivery", "utter_invalid_choice", dispatcher, tracker)
        result = self.accept("delivery", value)
        if value == "email" and tracker.get_slot("email") in (None, "", NO_EMAIL):
            say(dispatcher, tracker, "utter_document_needs_email")
            result["email"] = None
        return result

    async def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == NO_EMAIL and tracker.get_slot("delivery") == "email":
            # No e-mail after all: then the document cannot come by e-mail.
            return {"email": NO_EMAIL, "delivery": None, "failed_attempts": 0.0}
        return await super().validate_email(value, dispatcher, tracker, domain)

    async def validate_document_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self.validate_confirmation("document_confirmed", value, dispatcher, tracker)

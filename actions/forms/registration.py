"""validate_registration_form: every answer checked and normalised, one at a time."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, latest_intent, say
from actions.forms.base import CitizenFormValidation
from bot.tasks.fields import EDUCATION_LEVELS, REGISTRATION_SLOTS
from bot.tasks.registration import NO_EMAIL
from bot.understanding.answers import is_acceptable_occupation
from bot.validators import (
    matches_national_number,
    parse_birth_date,
    validate_email,
    validate_name,
    validate_national_number,
    validate_phone,
    validate_postcode,
)


class ValidateRegistrationForm(CitizenFormValidation):
    fields = REGISTRATION_SLOTS
    confirm_slot = "registration_confirmed"
    closed_answers = ("education_level",)
    change_targets = {
        **{slot: (slot,) for slot in REGISTRATION_SLOTS},
        "name": ("given_name", "family_name"),
    }

    def name(self) -> str:
        return "validate_registration_form"

    def extract_answer(self, slot: str, tracker: Tracker) -> Any:
        if slot == "email" and latest_intent(tracker)[0] == "deny":
            return NO_EMAIL
        if slot == "occupation":
            from actions.common import first_entity, latest_text

            return first_entity(tracker, "occupation") or latest_text(tracker)
        return super().extract_answer(slot, tracker)

    async def validate_national_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = validate_national_number(str(value or ""))
        if not result.ok:
            key = f"utter_invalid_national_number_{result.error}"
            return self.reject("national_number", key, dispatcher, tracker)
        events = self.accept("national_number", result.value)
        # A birth date given before must still match the corrected number.
        known_birth = tracker.get_slot("birth_date")
        if known_birth and not matches_national_number(date.fromisoformat(known_birth), result):
            events["birth_date"] = None
        return events

    async def validate_given_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = validate_name(str(value or ""))
        if not result.ok:
            return self.reject("given_name", "utter_invalid_given_name", dispatcher, tracker)
        return self.accept("given_name", result.value)

    async def validate_family_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = validate_name(str(value or ""))
        if not result.ok:
            return self.reject("family_name", "utter_invalid_family_name", dispatcher, tracker)
        return self.accept("family_name", result.value)

    async def validate_birth_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = parse_birth_date(str(value or ""), language_of(tracker))
        if not result.ok:
            error = "format" if result.error == "empty" else result.error
            return self.reject(
                "birth_date", f"utter_invalid_birth_date_{error}", dispatcher, tracker
            )
        birth: date = result.value
        number = tracker.get_slot("national_number")
        if number and not matches_national_number(birth, validate_national_number(number)):
            return self.reject(
                "birth_date", "utter_invalid_birth_date_mismatch", dispatcher, tracker
            )
        return self.accept("birth_date", birth.isoformat())

    async def validate_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = validate_postcode(str(value or ""))
        if not result.ok:
            error = "format" if result.error == "empty" else result.error
            return self.reject(
                "postcode",
                f"utter_invalid_postcode_{error}",
                dispatcher,
                tracker,
                postcode=str(value or "")[:10],
            )
        area = result.details["area"]
        language = language_of(tracker)
        say(
            dispatcher,
            tracker,
            "utter_postcode_found",
            municipality=area.municipality_names(language),
            agency=area.agency,
        )
        return self.accept("postcode", result.value)

    async def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        result = validate_phone(str(value or ""))
        if not result.ok:
            error = "format" if result.error == "empty" else result.error
            return self.reject("phone", f"utter_invalid_phone_{error}", dispatcher, tracker)
        return self.accept("phone", result.value)

    async def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value == NO_EMAIL:
            return self.accept("email", NO_EMAIL)
        result = validate_email(str(value or ""))
        if not result.ok:
            error = "format" if result.error == "empty" else result.error
            return self.reject(
                "email",
                f"utter_invalid_email_{error}",
                dispatcher,
                tracker,
                suggestion=result.details.get("suggestion", ""),
            )
        return self.accept("email", result.value or NO_EMAIL)

    async def validate_education_level(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value not in EDUCATION_LEVELS:
            return self.reject("education_level", "utter_invalid_choice", dispatcher, tracker)
        return self.accept("education_level", value)

    async def validate_occupation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(str(value or "").split())
        if not is_acceptable_occupation(text):
            return self.reject("occupation", "utter_invalid_occupation", dispatcher, tracker)
        return self.accept("occupation", text)

    async def validate_registration_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return await self.validate_confirmation(
            "registration_confirmed", value, dispatcher, tracker
        )

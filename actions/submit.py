"""Submit a confirmed registration or document request to the agency.

Every submission goes through the durable outbox: when the agency is down the
citizen gets a provisional reference and the outbox delivers it later, exactly once.
"""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, say
from actions.handoff import start_handoff
from bot import runtime
from bot.agency.submission import idempotency_key_for, submit
from bot.tasks import documents, registration
from bot.tasks.fields import REGISTRATION_SLOTS
from bot.tasks.registration import agency_for
from bot.understanding.pending import PENDING_ANSWER

logger = logging.getLogger(__name__)


# What a citizen told about themselves. Once a submission is final (the agency has it, or
# the outbox holds it durably), the conversation no longer needs it: the reference stays
# (`known_references`), so "where is my request?" still works.
PERSONAL_SLOTS = (*REGISTRATION_SLOTS, PENDING_ANSWER)


def forget_personal_slots() -> list[EventType]:
    return [SlotSet(slot, None) for slot in PERSONAL_SLOTS]


def _remember(tracker: Tracker, reference: str | None) -> list[EventType]:
    known = [r for r in (tracker.get_slot("known_references") or []) if r != reference]
    return [SlotSet("known_references", [*known, reference][-5:])] if reference else []


class ActionSubmitRegistration(Action):
    def name(self) -> str:
        return "action_submit_registration"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("registration_confirmed") is not True:
            return []
        language = language_of(tracker)
        payload = registration.registration_payload(tracker.slots, language)
        key = idempotency_key_for(tracker.sender_id, "jobseeker", payload)
        outcome = await submit(
            runtime.agency_client(), runtime.outbox(), "jobseeker", payload, key, tracker.sender_id
        )
        agency = outcome.response.get("agency") or agency_for(payload["postcode"]) or ""
        logger.info("registration submitted: status=%s", outcome.status)
        events: list[EventType] = [SlotSet("registration_confirmed", None), SlotSet("field", None)]
        if outcome.status == "submitted":
            say(
                dispatcher,
                tracker,
                "utter_registration_done",
                agency=agency,
                reference=outcome.reference,
            )
            events += _remember(tracker, outcome.reference) + forget_personal_slots()
        elif outcome.status == "queued":
            say(
                dispatcher,
                tracker,
                "utter_registration_queued",
                agency=agency,
                reference=outcome.reference,
            )
            events += _remember(tracker, outcome.reference) + forget_personal_slots()
        elif outcome.status == "already_registered":
            if outcome.response.get("conflicting_fields"):
                # Registered with other details: only a counsellor can sort that out, with
                # the answers in front of them (the console shows them, masked).
                say(dispatcher, tracker, "utter_already_registered_conflict", agency=agency)
                events += _remember(tracker, outcome.reference)
                return events + await start_handoff(dispatcher, tracker, "already_registered")
            if outcome.reference:
                say(
                    dispatcher,
                    tracker,
                    "utter_already_registered",
                    agency=agency,
                    reference=outcome.reference,
                )
                events += _remember(tracker, outcome.reference)
            else:
                say(dispatcher, tracker, "utter_already_registered_no_reference")
            events += forget_personal_slots()
        else:
            # Refused: a counsellor looks at it with the citizen, so the answers stay.
            say(dispatcher, tracker, "utter_registration_rejected", agency=agency or "")
        say(dispatcher, tracker, "utter_anything_else", language=language)
        return events


class ActionSubmitDocumentRequest(Action):
    def name(self) -> str:
        return "action_submit_document_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if tracker.get_slot("document_confirmed") is not True:
            return []
        language = language_of(tracker)
        payload = documents.document_payload(tracker.slots, language)
        key = idempotency_key_for(tracker.sender_id, "document", payload)
        outcome = await submit(
            runtime.agency_client(),
            runtime.outbox(),
            "document_request",
            payload,
            key,
            tracker.sender_id,
        )
        logger.info("document request submitted: status=%s", outcome.status)
        # Ready for another document.
        events: list[EventType] = [
            SlotSet("document_confirmed", None),
            SlotSet("document_type", None),
            SlotSet("delivery", None),
            SlotSet("field", None),
        ]
        if outcome.status == "submitted":
            say(
                dispatcher,
                tracker,
                "utter_document_done",
                reference=outcome.reference,
                expected_days=outcome.response.get("expected_days", ""),
            )
            events += _remember(tracker, outcome.reference) + forget_personal_slots()
        elif outcome.status == "queued":
            say(dispatcher, tracker, "utter_document_queued", reference=outcome.reference)
            events += _remember(tracker, outcome.reference) + forget_personal_slots()
        else:
            # Refused: a counsellor looks at it with the citizen, so the answers stay.
            say(dispatcher, tracker, "utter_document_rejected")
        say(dispatcher, tracker, "utter_anything_else", language=language)
        return events

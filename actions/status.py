"""action_check_status: where a registration or document request stands."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import say, text_of
from bot import runtime
from bot.agency.errors import AgencyError

logger = logging.getLogger(__name__)


class ActionCheckStatus(Action):
    def name(self) -> str:
        return "action_check_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reference = str(tracker.get_slot("reference") or "").upper()
        events: list[EventType] = [SlotSet("reference", None)]
        if not reference:
            return events
        try:
            await self._report(reference, dispatcher, tracker)
        except AgencyError:
            logger.warning("status check failed: agency unavailable")
            say(dispatcher, tracker, "utter_status_unavailable")
        say(dispatcher, tracker, "utter_anything_else")
        return events

    async def _report(
        self, reference: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> None:
        queued = runtime.outbox().find_by_reference(reference)
        if queued is not None and queued.status == "pending":
            say(dispatcher, tracker, "utter_status_queued", reference=reference)
            return
        if queued is not None and queued.agency_reference:
            reference = queued.agency_reference
        client = runtime.agency_client()
        if reference.startswith("JS-"):
            found, key = await client.get_jobseeker(reference), "utter_status_jobseeker"
        elif reference.startswith("DR-"):
            found, key = await client.get_document_request(reference), "utter_status_document"
        else:
            found, key = None, ""
        if not found:
            say(dispatcher, tracker, "utter_status_not_found", reference=reference)
            return
        status = str(found.get("status") or "unknown")
        label_key = f"status_{status}"
        label = text_of(label_key, tracker) or text_of("status_unknown", tracker)
        say(dispatcher, tracker, key, reference=reference, status=label)

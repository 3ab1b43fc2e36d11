"""action_request_handoff: record that the citizen waits for a counsellor."""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import channel_of, language_of, say
from actions.conversation import misunderstandings_in_a_row
from bot import handoff, runtime

logger = logging.getLogger(__name__)


class ActionRequestHandoff(Action):
    def name(self) -> str:
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reason = "misunderstood" if misunderstandings_in_a_row(tracker) else "asked"
        _, created = handoff.request_handoff(
            runtime.session_factory(),
            tracker.sender_id,
            channel_of(tracker),
            language_of(tracker),
            reason,
        )
        logger.info("handoff requested: created=%s reason=%s", created, reason)
        say(
            dispatcher,
            tracker,
            "utter_handoff_requested" if created else "utter_handoff_already_requested",
        )
        if tracker.active_loop_name:
            say(dispatcher, tracker, "utter_handoff_form_continue")
        return []

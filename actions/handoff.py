"""The citizen's side of a counsellor handoff.

- `action_request_handoff`: join the queue (place and rough wait), or outside office
  hours: when counsellors are back, and the chance to leave one message.
- `action_handoff_relay`: while a counsellor holds the conversation (HandoffPolicy), every
  citizen message goes to the counsellor and the assistant stays silent.
- `action_handoff_sync`: run by the console through Rasa's API after a take, a reply, a
  hand-back or a close. It copies the database's state into the slot `handoff_active`,
  delivers the counsellor's pending messages and, on hand-back, picks up the form
  question where the citizen was.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.ask import ask_current_question
from actions.common import (
    channel_of,
    is_button_payload,
    language_of,
    latest_intent,
    latest_text,
    say,
)
from actions.conversation import misunderstandings_in_a_row
from bot import runtime
from bot.handoff import messages, queries, state, wait
from bot.handoff.models import CLOSED
from bot.handoff.office_hours import next_opening, office_hours_open
from bot.handoff.texts import opening_phrase
from bot.i18n.catalog import get_catalog
from bot.tasks.registration import agency_for

logger = logging.getLogger(__name__)

ACTIVE_SLOT = "handoff_active"
LEAVING_SLOT = "handoff_leaving_message"


async def start_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, reason: str
) -> list[EventType]:
    """Put the conversation in the counsellors' queue and tell the citizen what happens."""
    factory = runtime.session_factory()
    agency = agency_for(tracker.get_slot("postcode"))
    request, created = state.request_handoff(
        factory, tracker.sender_id, channel_of(tracker), language_of(tracker), reason, agency
    )
    logger.info("handoff requested: created=%s reason=%s", created, request.reason)
    now = datetime.now(timezone.utc)
    if not office_hours_open(now, agency):
        when = opening_phrase(next_opening(now, agency), now, language_of(tracker), get_catalog())
        say(dispatcher, tracker, "utter_handoff_office_closed", when=when)
        return [SlotSet(LEAVING_SLOT, True)]
    position = queries.queue_position(factory, request.id)
    if created:
        minutes = wait.estimated_wait_minutes(
            factory, request.id, counsellors_online=queries.counsellors_online(factory)
        )
        say(dispatcher, tracker, "utter_handoff_requested", position=position, minutes=minutes)
    else:
        say(dispatcher, tracker, "utter_handoff_already_requested", position=position or 1)
    if tracker.active_loop_name:
        say(dispatcher, tracker, "utter_handoff_form_continue")
    return []


class ActionRequestHandoff(Action):
    def name(self) -> str:
        return "action_request_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reason = "misunderstood" if misunderstandings_in_a_row(tracker) else "asked"
        return await start_handoff(dispatcher, tracker, reason)


class ActionHandoffRelay(Action):
    """A citizen message while a counsellor holds the conversation, or the left message."""

    def name(self) -> str:
        return "action_handoff_relay"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        factory = runtime.session_factory()
        text = latest_text(tracker).strip()[: messages.MAX_MESSAGE_LENGTH]
        if tracker.get_slot(LEAVING_SLOT):
            events: list[EventType] = [SlotSet(LEAVING_SLOT, False)]
            declined = is_button_payload(tracker) or not text
            if declined or messages.record_left_message(factory, tracker.sender_id, text) is None:
                say(dispatcher, tracker, "utter_handoff_no_message")
            else:
                say(dispatcher, tracker, "utter_handoff_message_saved")
            if tracker.active_loop_name:
                say(dispatcher, tracker, "utter_handoff_form_continue")
                await ask_current_question(dispatcher, tracker, domain)
            return events
        if not text:
            return []  # a sticker or an empty message: nothing to pass on
        if messages.record_citizen_message(factory, tracker.sender_id, text) is not None:
            if latest_intent(tracker)[0] == "forget_me":
                # The counsellor reads it too; the button works while they hold it.
                say(dispatcher, tracker, "utter_confirm_forget")
            return []
        # Nobody holds the conversation any more (the console could not tell us): resume.
        return await _resume(dispatcher, tracker, domain, factory)


class ActionHandoffSync(Action):
    """Brings the conversation in line with the handoff state in the database."""

    def name(self) -> str:
        return "action_handoff_sync"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        factory = runtime.session_factory()
        holder = queries.holder_of(factory, tracker.sender_id)
        events: list[EventType] = []
        if holder is not None and tracker.get_slot(ACTIVE_SLOT) is not True:
            name = queries.counsellor_name(factory, holder.counsellor_id)
            say(dispatcher, tracker, "utter_handoff_taken", name=name)
            events += [SlotSet(ACTIVE_SLOT, True), SlotSet(LEAVING_SLOT, False)]
        pending = messages.undelivered_messages(factory, tracker.sender_id)
        for message in pending:
            dispatcher.utter_message(text=message.text)
        messages.mark_delivered(factory, [message.id for message in pending])
        if holder is None and tracker.get_slot(ACTIVE_SLOT) is True:
            events += await _resume(dispatcher, tracker, domain, factory)
        # Run from outside a turn: leave the tracker listening, as after any bot turn, so
        # that the citizen's next message meets the rules in their usual state.
        return [*events, ActionExecuted("action_listen")]


async def _resume(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, factory
) -> list[EventType]:
    """The assistant takes over again: where the citizen was, or fresh after a close."""
    events: list[EventType] = [SlotSet(ACTIVE_SLOT, False), SlotSet(LEAVING_SLOT, False)]
    latest = queries.latest_request(factory, tracker.sender_id)
    if latest is not None and latest.status == CLOSED:
        say(dispatcher, tracker, "utter_handoff_closed")
        if tracker.active_loop_name:
            events += [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return events
    if tracker.active_loop_name and tracker.get_slot(REQUESTED_SLOT):
        say(dispatcher, tracker, "utter_handoff_resumed")
        await ask_current_question(dispatcher, tracker, domain)
    else:
        say(dispatcher, tracker, "utter_handoff_resumed_idle")
    return events

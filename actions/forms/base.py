"""What every form shares: reading answers, re-asking kindly, changing an answer."""

from __future__ import annotations

import re
from abc import abstractmethod
from contextvars import ContextVar
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import (
    MAX_ANSWER_CHARS,
    decision_for,
    first_entity,
    language_of,
    latest_intent,
    latest_text,
    pending_answer,
    say,
)
from actions.conversation import explain_question
from bot.tasks.references import find_reference
from bot.understanding import keywords
from bot.understanding.answers import NAME_SLOTS, is_plausible_answer, name_answer
from bot.understanding.decision import STOP_QUESTION, Decision, Kind
from bot.understanding.pending import PENDING_ANSWER, PendingAnswer

STUCK_AFTER = 2  # failed answers in a row before we offer a person
_MARKUP = re.compile(r"[<>]")
# Answers whose validators read a whole sentence as well as the bare value.
WHOLE_TEXT_SLOTS = ("national_number", "phone", "birth_date")
# The decision taken on the message being read, so that extraction (called by
# rasa-sdk's run) reuses it instead of deciding again. A context variable, not an
# attribute: one action instance serves concurrent requests.
_DECISION: ContextVar[Decision | None] = ContextVar("form_decision", default=None)


class CitizenFormValidation(FormValidationAction):
    """Base of the project's form validation actions.

    Subclasses list `fields` (asked in order) and optionally a `confirm_slot` asked
    last with a summary. Answers are taken from the message when the form asked for
    them (button entity first, else the text), never from an interruption such as
    "help" or "stop". A `change_answer` clears the named answer so the form asks it
    again, then shows the summary again.
    """

    fields: tuple[str, ...] = ()
    confirm_slot: str | None = None
    # Answers chosen from a closed list: entity from a button, else keywords in the text.
    closed_answers: tuple[str, ...] = ()
    # Field names a citizen may say they want to change -> slots to clear.
    change_targets: dict[str, tuple[str, ...]] = {}
    ask_field_key = "utter_ask_field"

    @abstractmethod
    def name(self) -> str:
        """`validate_<form name>`."""

    # --- which slots, in which order ---------------------------------------------
    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        slots = [s for s in self.fields if not self.skip_field(s, tracker)]
        if self.confirm_slot:
            if tracker.get_slot(self.confirm_slot) is False:
                slots.append("field")
            slots.append(self.confirm_slot)
        return slots

    def skip_field(self, slot: str, tracker: Tracker) -> bool:
        """Subclasses skip questions that do not apply (e.g. e-mail when not needed)."""
        return False

    # --- the run: change requests first, then extraction and validation ----------
    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await self._read_message(dispatcher, tracker, domain)
        if (
            tracker.get_slot(PENDING_ANSWER) is not None
            and any(event.get("name") == tracker.get_slot(REQUESTED_SLOT) for event in events)
            and not any(event.get("name") == PENDING_ANSWER for event in events)
        ):
            # The "did you mean...?" question has had its answer. (Not on an
            # interruption: any slot set would stop Rasa from handing it to the rules;
            # a stale question is ignored anyway, see `pending_answer`.)
            events.append(SlotSet(PENDING_ANSWER, None))
        return events

    async def _read_message(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        name, _ = latest_intent(tracker)
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested == STOP_QUESTION:
            return await self._answer_stop_question(name, dispatcher, tracker, domain)
        pending = pending_answer(tracker, raised_now=False)
        if pending and name == "deny":
            # "Is your first name Stop?" - "No": they meant the command.
            return await self._pending_command(pending, dispatcher, tracker, domain)
        # "Yes, that is my name" answers; anything else is read afresh.
        decision = Decision(Kind.ANSWER) if pending and name == "affirm" else decision_for(tracker)
        if decision.kind is Kind.ASK and decision.command and requested:
            value = self.extract_answer(requested, tracker)
            ask = PendingAnswer(requested, str(value), decision.command, latest_text(tracker))
            return [SlotSet(requested, None), SlotSet(PENDING_ANSWER, ask.as_slot())]
        if decision.kind is Kind.OFF_TOPIC:
            say(dispatcher, tracker, "utter_out_of_scope_in_form")
            return [SlotSet(requested, None)]
        if decision.kind is Kind.INTERRUPTION and name in ("stop", "goodbye"):
            return self._ask_to_stop()
        if decision.kind is Kind.INTERRUPTION and name == "change_answer":
            target = first_entity(tracker, "field") or keywords.match("field", latest_text(tracker))
            return await self._change(target, dispatcher, tracker, domain)
        token = _DECISION.set(decision)
        try:
            return await super().run(dispatcher, tracker, domain)
        finally:
            _DECISION.reset(token)

    @staticmethod
    def _ask_to_stop() -> list[EventType]:
        # Ask first: stopping deletes the answers. The form asks `stop_confirmed`.
        return [SlotSet(STOP_QUESTION, None), SlotSet(REQUESTED_SLOT, STOP_QUESTION)]

    async def _pending_command(
        self,
        pending: PendingAnswer,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        """The citizen typed "no" to "is your first name Stop?": do what they meant
        where the form can (stop, help); otherwise ask the question again."""
        if pending.command.intent in ("stop", "goodbye"):
            return self._ask_to_stop()
        if pending.command.intent in ("help", "repeat"):
            explain_question(dispatcher, tracker, pending.slot)
        return [SlotSet(pending.slot, None), SlotSet(PENDING_ANSWER, None)]

    async def _answer_stop_question(
        self,
        name: str | None,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        if name in ("affirm", "stop", "goodbye"):
            say(dispatcher, tracker, "utter_task_stopped")
            cleared = [SlotSet(slot, None) for slot in self.forget_on_stop()]
            # requested_slot None ends the form; the submit action then finds nothing confirmed.
            return [
                *cleared,
                SlotSet(STOP_QUESTION, None),
                SlotSet("failed_attempts", 0.0),
                SlotSet(REQUESTED_SLOT, None),
            ]
        say(dispatcher, tracker, "utter_continue_form")
        tracker.slots[STOP_QUESTION] = None
        next_slot = await self._next_missing(dispatcher, tracker, domain)
        return [SlotSet(STOP_QUESTION, None), SlotSet(REQUESTED_SLOT, next_slot)]

    def forget_on_stop(self) -> tuple[str, ...]:
        """Answers deleted when the citizen stops this form."""
        return (
            *self.fields,
            *([self.confirm_slot] if self.confirm_slot else []),
            "field",
            PENDING_ANSWER,
        )

    async def _next_missing(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> str | None:
        slots = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return next((s for s in slots if tracker.get_slot(s) is None), None)

    async def _change(
        self,
        target: str | None,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[EventType]:
        slots = self.change_targets.get(target or "", ())
        events: list[EventType] = [SlotSet("field", None)]
        if not slots:
            # We do not know what to change: ask, with a button per answer.
            if self.confirm_slot:
                events.append(SlotSet(self.confirm_slot, False))
            events.append(SlotSet(REQUESTED_SLOT, "field"))
            return events
        say(dispatcher, tracker, "utter_change_field", field_label=self._label(target, tracker))
        events += [SlotSet(slot, None) for slot in slots]
        if self.confirm_slot:
            events.append(SlotSet(self.confirm_slot, None))
        events.append(SlotSet(REQUESTED_SLOT, slots[0]))
        return events

    def _label(self, field: str | None, tracker: Tracker) -> str:
        from actions.common import text_of

        return text_of(f"field_{field}", tracker)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not requested:
            return []
        pending = pending_answer(tracker, raised_now=False)
        if pending and latest_intent(tracker)[0] == "affirm":
            return [SlotSet(requested, pending.value)]  # "Yes, that is my name"
        decision = _DECISION.get() or decision_for(tracker)
        if decision.kind is not Kind.ANSWER:
            # Not an answer: nothing is extracted, so Rasa hands the message to the
            # rules (help, another language, a person, not understood...).
            return []
        value = self.extract_answer(requested, tracker)
        return [] if value is None else [SlotSet(requested, value)]

    def extract_answer(self, slot: str, tracker: Tracker) -> Any:
        """The answer to the question about `slot` in the latest message, or None."""
        name, _ = latest_intent(tracker)
        text = latest_text(tracker)[:MAX_ANSWER_CHARS]
        if slot == self.confirm_slot:
            # Anything but yes/no is answered with "please tap a button".
            return {"affirm": True, "deny": False}.get(name or "", "")
        if slot == "field":
            return first_entity(tracker, "field") or keywords.match("field", text) or ""
        if slot in self.closed_answers:
            return first_entity(tracker, slot) or keywords.match(slot, text) or ""
        if slot == "reference":
            found = first_entity(tracker, "reference")
            if found:
                return found
            return find_reference(text) or text
        entity = first_entity(tracker, slot)
        if _MARKUP.search(text):
            # Never quietly clean up markup: the validator rejects it and we ask again.
            return text
        if slot in NAME_SLOTS:
            # "ik heet Daan", "je m'appelle Rose": the name without the sentence.
            return name_answer(text, entity) or text
        if entity and not text.lstrip().startswith("/"):
            # DIET found the value inside a longer sentence ("my postcode is 9000").
            # Some validators cope with a whole sentence ("born on 3 May 1990"): take the
            # text when it is valid, else DIET's value ("mijn nummer is 85.07.30-033.28").
            if slot in WHOLE_TEXT_SLOTS and is_plausible_answer(
                slot, text, intent=name, entities={}, language=language_of(tracker)
            ):
                return text
            return entity
        if entity:
            return entity
        return text

    # --- shared answers for re-asking --------------------------------------------
    def reject(
        self,
        slot: str,
        key: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        **variables: Any,
    ) -> dict[str, Any]:
        """Explain what was wrong (the form then asks again); offer a person when stuck."""
        failures = int(tracker.get_slot("failed_attempts") or 0) + 1
        if len(latest_text(tracker)) > MAX_ANSWER_CHARS:
            say(dispatcher, tracker, "utter_message_too_long")
        say(dispatcher, tracker, key, **variables)
        if failures >= STUCK_AFTER and (failures - STUCK_AFTER) % 3 == 0:
            # Offer a person after two failed answers, then again every third one.
            say(dispatcher, tracker, "utter_still_stuck")
        return {slot: None, "failed_attempts": float(failures)}

    @staticmethod
    def accept(slot: str, value: Any, **more: Any) -> dict[str, Any]:
        return {slot: value, "failed_attempts": 0.0, **more}

    async def validate_confirmation(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value is True:
            return self.accept(slot, True)
        if value is False:
            return {slot: False, "failed_attempts": 0.0}
        return self.reject(slot, "utter_invalid_choice", dispatcher, tracker)

    async def validate_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        slots = self.change_targets.get(str(value or ""), ())
        if not slots:
            return self.reject("field", "utter_invalid_choice", dispatcher, tracker)
        say(dispatcher, tracker, "utter_change_field", field_label=self._label(value, tracker))
        cleared = {slot: None for slot in slots}
        if self.confirm_slot:
            cleared[self.confirm_slot] = None
        return {"field": None, "failed_attempts": 0.0, **cleared}

"""Tracker fixtures for the action tests: one conversation turn, run through a form.

A helper module, not a test module: every test module of this package builds its
trackers and runs its forms with these, the way rasa-sdk and the Rasa demos test
actions (a `Tracker`, a `CollectingDispatcher` and the real domain).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.forms.document import ValidateDocumentForm
from actions.forms.registration import ValidateRegistrationForm
from actions.forms.status import ValidateStatusForm
from bot.i18n.catalog import get_catalog
from bot.settings import PROJECT_ROOT

DOMAIN: dict[str, Any] = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())
CATALOG = get_catalog()
LANGUAGES = ("nl", "fr", "en")
# The validation action of each form, by the form's name (the tracker's active loop).
FORM_ACTIONS = {
    "registration_form": ValidateRegistrationForm,
    "document_form": ValidateDocumentForm,
    "status_form": ValidateStatusForm,
}

# A button payload as Rasa reads it without the NLU: "/intent" or '/intent{"entity": "value"}'.
_PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")

# An earlier message: its text alone, or (text, intent) when the action reads the intent.
Earlier = str | tuple[str, str]


def tracker(
    text: str,
    intent: str | None,
    confidence: float = 0.99,
    entities: Iterable[dict[str, Any]] = (),
    before: Iterable[Earlier] = (),
    form: str | None = "registration_form",
    mapped: dict[str, Any] | None = None,
    **slots: Any,
) -> Tracker:
    """The tracker right after the citizen sent `text` (NLU: `intent`, `entities`).

    Every slot of the domain is empty unless given in `slots`; the language is English
    and the form (the active loop, `form`) waits for the first name unless told.
    `mapped`: slots that Rasa filled from the domain's slot mappings (`from_entity`)
    before calling the validation action; they follow the message as `slot` events,
    which is how the action finds the slots it must validate.
    """
    values: dict[str, Any] = {name: None for name in DOMAIN["slots"]}
    values.update({"language": "en", "requested_slot": "given_name", **slots})
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": list(entities),
    }
    events = []
    for earlier in before:
        earlier_text, earlier_intent = (earlier, None) if isinstance(earlier, str) else earlier
        parse_data = {"intent": {"name": earlier_intent}} if earlier_intent else {}
        events.append({"event": "user", "text": earlier_text, "parse_data": parse_data})
    events.append({"event": "user", "text": text, "parse_data": latest})
    for name, value in (mapped or {}).items():
        values[name] = value
        events.append({"event": "slot", "name": name, "value": value})
    return Tracker(
        "citizen-1",
        values,
        latest,
        events,
        False,
        None,
        {"name": form} if form else {},
        "action_listen",
    )


def entity(name: str, value: str) -> dict[str, Any]:
    """An entity as the NLU (or a button payload) reports it."""
    return {"entity": name, "value": value}


def tapped(payload: str, **kwargs: Any) -> Tracker:
    """The tracker right after the citizen tapped a button sending `payload`.

    The intent and entities come from the payload itself, with full confidence, as
    Rasa reads a payload; `kwargs` go to `tracker`.
    """
    match = _PAYLOAD.match(payload)
    if match is None:
        raise ValueError(f"not a button payload: {payload!r}")
    entities = [
        entity(name, value) for name, value in json.loads(match["entities"] or "{}").items()
    ]
    return tracker(payload, match["intent"], 1.0, entities=entities, **kwargs)


def button_payloads(key: str, language: str) -> list[str]:
    """The payloads of the buttons that come with the text `key` in `language`."""
    return [button["payload"] for button in CATALOG.render(key, language)["buttons"]]


async def run_form(current: Tracker) -> tuple[dict[str, Any], CollectingDispatcher]:
    """Run the validation action of the tracker's active form on its latest message.

    Returns the slots the action set (last value wins) and the dispatcher, whose
    `messages` are what the citizen is told.
    """
    dispatcher = CollectingDispatcher()
    action = FORM_ACTIONS[current.active_loop_name]()
    events = await action.run(dispatcher, current, DOMAIN)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, dispatcher


async def answer(
    slot: str,
    text: str,
    language: str = "en",
    *,
    intent: str = "inform",
    confidence: float = 0.7,
    entities: Iterable[dict[str, Any]] = (),
    form: str = "registration_form",
    **slots: Any,
) -> tuple[dict[str, Any], CollectingDispatcher]:
    """The citizen typed `text` when `form` asked for `slot`: run the form on it."""
    current = tracker(
        text,
        intent,
        confidence,
        entities=entities,
        form=form,
        requested_slot=slot,
        language=language,
        **slots,
    )
    return await run_form(current)


# A refused answer: the slot stays empty, so the form asks again; one failed answer more.
REFUSED = (None, 1.0)


def outcome(slots: dict[str, Any], slot: str) -> tuple[Any, Any]:
    """What became of the answer: the slot's new value and the count of failed answers."""
    return slots.get(slot, "(not set)"), slots.get("failed_attempts", "(not set)")


def said(dispatcher: CollectingDispatcher) -> list[str]:
    """The texts the citizen was sent, in order."""
    return [message.get("text") or "" for message in dispatcher.messages]

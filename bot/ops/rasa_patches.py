"""Every change this project makes to Rasa 3.6's own functions, in one place.

Where Rasa lets a class be named in a configuration file, the project names its own
subclass there instead of patching (each documents what it changes and why):
- `bot.rasa_plugins.policies.cached_ted.CachedTEDPolicy` (config.yml): TED's
  predictions remembered per dialogue state;
- `bot.i18n.rasa_nlg.CatalogNaturalLanguageGenerator` (endpoints `nlg`): responses
  rendered in the Rasa process, without a round trip per response;
- `bot.privacy.tracker_store.ForgettingSQLTrackerStore` (endpoints `tracker_store`):
  forgets a conversation on request, and counts unsaved events once per turn;
- `bot.ops.rasa_lock_store.AtomicRedisLockStore` (endpoints.production.yml): Rasa's
  Redis lock store without its race between two servers.

What cannot be configured is patched here. `install()` runs in the Rasa server process
(bot/ops/rasa_server.py) before the agent loads. Each patch keeps Rasa's observable
behaviour and is tested in tests/unit/ops/test_rasa_patches.py against Rasa's
unpatched function.

1. **Action server responses are checked with a validator compiled once.**
   `RemoteAction._validate_action_result` calls `jsonschema.validate(result, schema)`
   for every custom action. `validate` checks the schema against its meta-schema and
   builds a new validator every time; for Rasa's events schema (a `oneOf` over every
   event type) that was about 60 % of the Rasa server's CPU under load (py-spy, issue
   12): 40 ms per response here, 0.7 ms with this patch. The schema is a constant,
   so it is checked once and the validator is reused: the same errors, raised the
   same way (`best_match`, the same message). Valid responses take a faster road still: Rasa's event
   schema is a `oneOf` over every event type, each pinned by its `event` constant, so
   an event is valid exactly when it is valid against the one type its `event` names;
   each event is checked against that type only. Anything that fails the fast road
   goes through the full validator, which raises Rasa's own error.
2. **The same for the NLG endpoint's responses** (`CallbackNaturalLanguageGenerator.
   validate_response`), for deployments that keep a remote NLG.
3. **An event's class is found by a table, not by a walk of the class tree.**
   Loading a conversation turns every stored event into an object through
   `Event.resolve_by_type(type_name)`, which lists every subclass of `Event`
   recursively (`all_subclasses`) for each event: 8 % of the Rasa server's CPU per turn
   (py-spy). The table maps each type name to the class Rasa's walk finds first; a name
   it does not know (an event class imported later) rebuilds it, then falls back to
   Rasa's own function, so unknown names fail exactly as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, exceptions
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for

_installed = False


def compiled_validator(schema: dict[str, Any]) -> Validator:
    """What `jsonschema.validate` builds for `schema` on each call, built once here."""
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def raise_first_error(validator: Validator, instance: Any) -> None:
    """Raise the error `jsonschema.validate` would raise, if any."""
    error = exceptions.best_match(validator.iter_errors(instance))
    if error is not None:
        raise error


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    from rasa.core.actions.action import RemoteAction

    return compiled_validator(RemoteAction.action_response_format_spec())


class _FastActionResponseCheck:
    """Accepts exactly what the full schema accepts, testing each event's own type only.

    Returns False (never raises) when unsure; the caller then runs the full validator.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        properties = dict(schema["properties"])
        event_schema = dict(properties.pop("events")["items"])
        variants = event_schema.pop("oneOf")
        self._outer = compiled_validator({**schema, "properties": properties})
        self._by_name: dict[str, Validator] = {}
        for variant in variants:
            name = variant["properties"]["event"]["const"]
            self._by_name[name] = compiled_validator({**event_schema, "allOf": [variant]})

    def is_valid(self, result: Any) -> bool:
        if not self._outer.is_valid(result):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        for event in events:
            if not isinstance(event, dict):
                return False
            validator = self._by_name.get(event.get("event"))  # type: ignore[arg-type]
            if validator is None or not validator.is_valid(event):
                return False
        return True


@lru_cache(maxsize=1)
def fast_action_response_check() -> _FastActionResponseCheck:
    from rasa.core.actions.action import RemoteAction

    return _FastActionResponseCheck(RemoteAction.action_response_format_spec())


@lru_cache(maxsize=1)
def nlg_response_validator() -> Validator:
    from rasa.core.nlg.callback import nlg_response_format_spec

    return compiled_validator(nlg_response_format_spec())


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`, with the compiled validator."""
    from rasa.shared.constants import DOCS_BASE_URL

    if fast_action_response_check().is_valid(result):
        return True
    try:
        raise_first_error(action_response_validator(), result)
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            "For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise
    return True


def _validate_nlg_response(content: dict[str, Any] | None) -> bool:
    """Rasa's `CallbackNaturalLanguageGenerator.validate_response`, compiled once."""
    from rasa.shared.exceptions import RasaException

    if content is None or content == "":
        return True  # the endpoint did not want to respond with anything
    try:
        raise_first_error(nlg_response_validator(), content)
    except ValidationError as error:
        raise RasaException(  # noqa: B904 (raised as Rasa raises it)
            f"{error.message}. Failed to validate NLG response from API, make sure "
            "your response from the NLG endpoint is valid. For more information "
            "about the format please consult the `nlg_response_format_spec` "
            "function from this same module: "
            "https://github.com/RasaHQ/rasa/blob/main/rasa/core/nlg/callback.py"
        )
    return True


class _EventClassTable:
    """type_name -> the first class of Rasa's `all_subclasses(Event)` order with it."""

    def __init__(self) -> None:
        self._classes: dict[str, type] = {}

    def rebuild(self) -> None:
        from rasa.shared.core.events import Event
        from rasa.shared.utils.common import all_subclasses

        classes: dict[str, type] = {}
        for cls in all_subclasses(Event):
            classes.setdefault(cls.type_name, cls)
        self._classes = classes

    def find(self, type_name: str) -> type | None:
        found = self._classes.get(type_name)
        if found is None:
            self.rebuild()
            found = self._classes.get(type_name)
        return found


_event_classes = _EventClassTable()
_rasa_resolve_by_type: Any = None


def _resolve_by_type(type_name: str, default: type | None = None) -> type | None:
    """Rasa's `Event.resolve_by_type`, through the table."""
    found = _event_classes.find(type_name)
    if found is not None:
        return found
    return _rasa_resolve_by_type(type_name, default)


def install() -> None:
    """Apply every patch; safe to call more than once."""
    global _installed
    if _installed:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator
    from rasa.shared.core.events import Event

    global _rasa_resolve_by_type
    _rasa_resolve_by_type = Event.resolve_by_type
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
    CallbackNaturalLanguageGenerator.validate_response = staticmethod(  # type: ignore[method-assign]
        _validate_nlg_response
    )
    _installed = True

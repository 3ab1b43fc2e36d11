"""Conversation content — what a citizen typed and what they were told — kept out of logs.

Pattern masking (`bot.privacy.personal_data`) finds numbers, phones and e-mails; it cannot
know that "Janssens" is a name or "19 november 1972" a birth date. Those reach logs only
inside conversation content: the text of a message, slot values, tracker events, the body
of an NLG call, a Telegram update. So content is removed where it travels:

- in structured values (log arguments, structlog fields): under the keys that carry
  content (`CONTENT_KEYS`, Rasa's own list of "anonymizable" keys and ours) and in the
  objects that are content (Rasa events, trackers and messages, Telegram objects), which
  are replaced by a description without their values (`SlotSet(given_name)`);
- in messages that were formatted before logging (f-strings in Rasa and libraries): the
  known content-carrying lines (`TEXT_RULES`) keep their first words only.

Rasa at DEBUG level is the test (tests/integration/test_logs_hold_no_personal_data.py): a
library upgrade that logs content in a new way must get its rule here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

REDACTED = "<redacted>"
_MAX_DEPTH = 8

# Rasa 3.6's `rasa.utils.log_utils._anonymizer` list: the structlog fields in which Rasa
# itself puts conversation content.
RASA_CONTENT_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)

# Ours: entity values, slots, events, Telegram's text and profile fields, and the slots
# of the forms under their own names.
CONTENT_KEYS = RASA_CONTENT_KEYS | frozenset(
    {
        "value",
        "slots",
        "events",
        "latest_message",
        "tracker",
        "caption",
        "first_name",
        "last_name",
        "username",
        "phone_number",
        "national_number",
        "given_name",
        "family_name",
        "birth_date",
        "phone",
        "email",
        "postcode",
        "answers",
    }
)


@dataclass(frozen=True)
class TextRule:
    """A log line of `logger` (or its children) that ends in conversation content: what
    `pattern` matches is replaced by its `keep` group followed by `<redacted>`."""

    logger: str
    pattern: re.Pattern[str]

    def applies_to(self, name: str) -> bool:
        return name == self.logger or name.startswith(self.logger + ".")


def _rule(logger: str, pattern: str) -> TextRule:
    return TextRule(logger, re.compile(pattern, re.DOTALL))


TEXT_RULES: tuple[TextRule, ...] = (
    # rasa/core/actions/action.py: logger.debug(f"Validating extracted slots: {...}")
    _rule("rasa.core.actions.action", r"(?P<keep>Validating extracted slots: ).*"),
    # rasa/core/actions/forms.py: the events of action_extract_slots, SlotSet values included
    _rule("rasa.core.actions.forms", r"(?P<keep>resulted in these events: ).*"),
    # rasa/core/nlg/callback.py: the whole tracker goes to the NLG endpoint, and back a text
    _rule("rasa.core.nlg.callback", r"(?P<keep>The request body is ).*"),
    _rule("rasa.core.nlg.callback", r"(?P<keep>Received NLG response: ).*"),
    # python-telegram-bot's own webhook server (unused here, but a library default)
    _rule("telegram.ext", r"(?P<keep>Webhook received data: ).*"),
    # python-engineio / python-socketio when their packet logging is switched on
    _rule("engineio", r"(?P<keep>(?:Received|Sending) packet \w+ data ).*"),
)

# Loggers whose arguments are all content whatever the message: SQL parameters and rows.
ARGUMENT_CONTENT_LOGGERS = ("sqlalchemy.engine", "aiosqlite")


def redact_text(logger_name: str, message: str) -> str:
    """`message` with the content of a known content-carrying log line removed."""
    for rule in TEXT_RULES:
        if rule.applies_to(logger_name):
            message = rule.pattern.sub(lambda match: match.group("keep") + REDACTED, message)
    return message


def redact_arguments(logger_name: str, args: Any) -> Any:
    """Log-call arguments (a tuple, or a mapping for `%(name)s` formats) without content."""
    if any(logger_name.startswith(prefix) for prefix in ARGUMENT_CONTENT_LOGGERS):
        return _all_redacted(args)
    if isinstance(args, Mapping):
        return {key: redact_field(str(key), value) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(redact_value(arg) for arg in args)
    return redact_value(args)


def _all_redacted(args: Any) -> Any:
    if isinstance(args, Mapping):
        return {key: REDACTED for key in args}
    if isinstance(args, tuple):
        # The first argument of SQLAlchemy's lines is a timing or a statement, not data.
        return tuple(arg if isinstance(arg, (int, float)) else REDACTED for arg in args)
    return REDACTED


def redact_field(key: str, value: Any) -> Any:
    """The value of field `key` (a dict key, a structlog field) without content."""
    if key.lower() in CONTENT_KEYS:
        return _described(value)
    return redact_value(value)


def redact_value(value: Any, depth: int = 0) -> Any:
    """`value` with the content inside it replaced; plain strings are left to the
    pattern masking (they are what the log message itself says)."""
    if value is None or isinstance(value, (str, bytes, int, float, bool)):
        return value
    if depth >= _MAX_DEPTH:
        return REDACTED
    description = describe(value)
    if description is not None:
        return description
    if isinstance(value, Mapping):
        return {
            key: _described(item)
            if str(key).lower() in CONTENT_KEYS
            else redact_value(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [redact_value(item, depth + 1) for item in value]
        return tuple(items) if isinstance(value, tuple) else items
    return value


def _described(value: Any) -> Any:
    """A content value: its description when it is a known object (or a list of them),
    else `<redacted>`."""
    description = describe(value)
    if description is not None:
        return description
    if isinstance(value, (list, tuple)) and value:
        described = [describe(item) for item in value]
        if all(item is not None for item in described):
            return described
    return REDACTED


def describe(value: Any) -> str | None:
    """A description without content of a Rasa event, tracker or message, or a Telegram
    object; None for anything else (rasa_sdk's events are dicts: see CONTENT_KEYS).

    Types are recognised by their module's name, so that nothing is imported: a process
    that never loaded Rasa or python-telegram-bot holds none of their objects.
    """
    kind = type(value)
    module = kind.__module__ or ""
    if module.startswith("rasa.shared.core.events"):
        return _describe_event(value)
    if module.startswith("telegram"):
        update_id = getattr(value, "update_id", None)
        return f"<{kind.__name__} {update_id}>" if update_id is not None else f"<{kind.__name__}>"
    if module.startswith(("rasa.", "rasa_sdk.")) and kind.__name__ in _RASA_CONTENT_TYPES:
        return f"<{kind.__name__}>"
    return None


_RASA_CONTENT_TYPES = frozenset(
    {"DialogueStateTracker", "Tracker", "UserMessage", "Message", "TrainingData"}
)


def _describe_event(event: Any) -> str:
    """`SlotSet(given_name)`, `ActionExecuted(utter_greet)`, `UserUttered(inform)`, ...:
    which event, never the value it carries."""
    detail = None
    for attribute in ("key", "action_name", "intent_name", "name"):
        try:
            candidate = getattr(event, attribute, None)
        except Exception:  # a property that needs data the event lacks
            candidate = None
        if isinstance(candidate, str) and candidate:
            detail = candidate
            break
    name = type(event).__name__
    return f"{name}({detail})" if detail else name

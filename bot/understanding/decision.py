"""Answer or interruption? One decision per message, taken by the forms.

While a form waits for an answer, every message is read in this order:

1. A tapped button does what its payload says.
2. A message that is exactly a command phrase ("stop", "help", "English") is that
   command, except when it is also a plausible answer to a free-text question and a
   single word: then we ask ("Is your first name Stop?").
3. A plausible answer to the question (its validator accepts it) is the answer, whatever
   the NLU predicted: "Daan", "Hope" and "Klein" are names, "9000" is a postcode.
4. Otherwise a confident command intent interrupts (help, stop, another language...).
   "change an answer" interrupts only when it names the answer or is confident enough.
5. Not understood or off-topic messages written in words are handled as such (the
   form asks again).
6. Anything else is an answer, which the validator refuses with a kind explanation
   (emoji, markup, a pasted number: "a national register number has 11 digits").

The forms (`actions/forms/base.py`) extract a slot only for ANSWER; for anything else
they extract nothing, Rasa's form rejects the message and the interruption rules of
`data/rules/forms.yml` take over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.understanding import keywords
from bot.understanding.answers import FREE_TEXT_SLOTS, NAME_SLOTS, is_plausible_answer
from bot.understanding.commands import CONTROL_INTENTS, Command, known_command
from bot.validators.names import NAME_PARTICLES

# Below this confidence a command intent does not interrupt a question.
CONTROL_CONFIDENCE = 0.80
# "change an answer" without naming which one interrupts only above this.
CHANGE_WITHOUT_FIELD_CONFIDENCE = 0.90
# "stop", "help", "in English please" are short; a long text is an answer.
MAX_CONTROL_CHARS = 200
MISUNDERSTOOD_INTENTS = ("nlu_fallback", "out_of_scope")
# Another task asked for in the middle of a form: the form explains it goes on first.
TASK_INTENTS = ("register_jobseeker", "request_document", "check_request_status")
# On free-text questions (names, work) the NLU must be this sure of "off-topic".
OFF_TOPIC_CONFIDENCE_FREE_TEXT = 0.90
STOP_QUESTION = "stop_confirmed"
_WORD = re.compile(r"[^\W\d_]{2,}")


class Kind(str, Enum):
    ANSWER = "answer"
    ASK = "ask"  # ambiguous: ask "is your first name Stop?"
    INTERRUPTION = "interruption"
    OFF_TOPIC = "off_topic"  # not an answer, not a command: say so, ask again


@dataclass(frozen=True)
class Decision:
    kind: Kind
    command: Command | None = None


@dataclass(frozen=True)
class Message:
    """What the decision needs of the latest user message."""

    text: str
    intent: str | None
    confidence: float
    entities: dict[str, Any]

    @classmethod
    def from_parse_data(cls, parse_data: dict[str, Any] | None) -> Message:
        parse_data = parse_data or {}
        intent = parse_data.get("intent") or {}
        entities: dict[str, Any] = {}
        for entity in parse_data.get("entities") or []:
            if entity.get("value") is not None:
                entities.setdefault(str(entity.get("entity")), entity.get("value"))
        return cls(
            text=str(parse_data.get("text") or ""),
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            entities=entities,
        )

    @property
    def is_button(self) -> bool:
        return self.text.lstrip().startswith("/")


def decide(slot: str | None, message: Message, language: str) -> Decision:
    """How the form reads `message` while it waits for the answer to `slot`."""
    if not slot or slot == STOP_QUESTION:
        return Decision(Kind.ANSWER)
    if message.is_button:
        if message.intent in CONTROL_INTENTS:
            return Decision(Kind.INTERRUPTION, Command(message.intent))
        return Decision(Kind.ANSWER)
    plausible = is_plausible_answer(
        slot,
        message.text,
        intent=message.intent,
        entities=message.entities,
        language=language,
    )
    command = known_command(message.text)
    if command:
        if plausible and slot in FREE_TEXT_SLOTS and len(message.text.split()) == 1:
            return Decision(Kind.ASK, command)
        if plausible and slot not in FREE_TEXT_SLOTS:
            return Decision(Kind.ANSWER)
        return Decision(Kind.INTERRUPTION, command)
    if plausible:
        if slot in FREE_TEXT_SLOTS and _sure_off_topic_free_text(slot, message):
            return Decision(Kind.INTERRUPTION)
        return Decision(Kind.ANSWER)
    if message.intent in (*CONTROL_INTENTS, *TASK_INTENTS) and _confident_command(message):
        return Decision(Kind.INTERRUPTION, Command(message.intent))
    if message.intent == "change_answer":
        return Decision(Kind.OFF_TOPIC)
    if message.intent in MISUNDERSTOOD_INTENTS and _reads_like_words(message.text):
        return Decision(Kind.INTERRUPTION)
    return Decision(Kind.ANSWER)


def _reads_like_words(text: str) -> bool:
    """Words, as a question about the weather has; not markup, emoji or a pasted number,
    which are bad answers that the question's validator explains best."""
    if "<" in text or ">" in text or len(text) > MAX_CONTROL_CHARS:
        return False
    return len(_WORD.findall(text)) >= 2


def _confident_command(message: Message) -> bool:
    if len(message.text) > MAX_CONTROL_CHARS or message.confidence < CONTROL_CONFIDENCE:
        return False
    if message.intent != "change_answer":
        return True
    named = message.entities.get("field") or keywords.match("field", message.text)
    return bool(named) or message.confidence >= CHANGE_WITHOUT_FIELD_CONFIDENCE


def _sure_off_topic_free_text(slot: str, message: Message) -> bool:
    """A plausible free-text answer that is off-topic all the same: the NLU is very sure
    and nothing in the message belongs to the question.

    Work: no occupation named ("what's the weather", not "in a restaurant kitchen").
    Names: several words, no name found by the NLU and no particle ("mopje vertellen",
    not "de la fontaine"); a single word is always a name.
    """
    if message.intent != "out_of_scope" or message.confidence < OFF_TOPIC_CONFIDENCE_FREE_TEXT:
        return False
    if slot == "occupation":
        named = message.entities.get("occupation") or keywords.match("occupation", message.text)
        return not named
    words = message.text.lower().split()
    return (
        len(words) >= 2
        and not any(message.entities.get(name_slot) for name_slot in NAME_SLOTS)
        and not NAME_PARTICLES.intersection(words)
    )

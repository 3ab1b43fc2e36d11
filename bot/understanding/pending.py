"""The answer we asked about: "Is your first name Stop?" waits in the slot `pending_answer`.

The form stores the value, the command it could also be and the message that raised the
question; the question's buttons are "Yes, that is my name" (`/affirm`) and "No, I want
to stop" (the command's own payload). The question only counts for the message that
raised it and for the very next one: after a detour (help, another language...) a "yes"
no longer means "yes, Stop is my name".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.understanding.commands import Command

PENDING_ANSWER = "pending_answer"


@dataclass(frozen=True)
class PendingAnswer:
    slot: str
    value: str
    command: Command
    source: str = ""  # the message that raised the question

    def as_slot(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "value": self.value,
            "intent": self.command.intent,
            "entities": dict(self.command.entities),
            "source": self.source,
        }

    @classmethod
    def from_slot(cls, stored: Any, requested: str | None = None) -> PendingAnswer | None:
        """The stored question, when it is about `requested` (or any, if None)."""
        if not isinstance(stored, dict):
            return None
        slot, value, intent = stored.get("slot"), stored.get("value"), stored.get("intent")
        if not (isinstance(slot, str) and isinstance(value, str) and isinstance(intent, str)):
            return None
        if requested is not None and slot != requested:
            return None
        entities = stored.get("entities") if isinstance(stored.get("entities"), dict) else {}
        command = Command(intent, {str(k): str(v) for k, v in entities.items()})
        return cls(slot, value, command, str(stored.get("source") or ""))

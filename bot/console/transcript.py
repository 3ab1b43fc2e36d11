"""What a counsellor reads: the conversation's messages and the answers collected so far.

Personal data is masked in both. In the messages each piece found (bot.console.masking)
is masked on its own and gets an item id (`m<event index>-<n>`), by which the holder
reveals that one piece (audited). A citizen message that answered the question for a
masked field (the form's `requested_slot` when the message came) is masked whole: a
birth date typed as "12 maart 90" is no pattern, but it is the citizen's birth date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.console.masking import MASKED_FIELDS, Piece, known_values, mask, split_personal

# Slot -> label shown in the console (the console speaks English; citizens do not see it).
COLLECTED_FIELDS: dict[str, str] = {
    "national_number": "National register number",
    "given_name": "Given name",
    "family_name": "Family name",
    "birth_date": "Birth date",
    "postcode": "Postcode",
    "phone": "Phone",
    "email": "E-mail",
    "education_level": "Education",
    "occupation": "Desired occupation",
    "document_type": "Document",
    "delivery": "Delivery",
    "reference": "Reference",
}
REQUESTED_SLOT = "requested_slot"
# Slots of actions/handoff.py (bot/ never imports actions/): while one is set, a citizen's
# message goes to the counsellor or is a left message, not an answer to the form.
HANDOFF_SLOTS = frozenset({"handoff_active", "handoff_leaving_message"})


@dataclass(frozen=True)
class Part:
    """A stretch of a message as the console shows it: personal data masked."""

    text: str
    item: str | None = None  # the id to reveal it by; None for plain text
    kind: str | None = None


@dataclass(frozen=True)
class Entry:
    who: str  # "citizen" | "assistant" | "counsellor"
    parts: tuple[Part, ...]
    at: datetime | None
    buttons: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The message as shown (masked)."""
        return "".join(part.text for part in self.parts)


@dataclass(frozen=True)
class Collected:
    field: str
    label: str
    shown: str
    masked: bool


@dataclass(frozen=True)
class _Message:
    index: int  # of its event, among the tracker's events
    who: str
    text: str
    at: datetime | None
    buttons: tuple[str, ...] = ()
    answered: str | None = None  # the masked field whose question this message answered


def _at(event: Mapping[str, Any]) -> datetime | None:
    stamp = event.get("timestamp")
    return datetime.fromtimestamp(stamp, tz=timezone.utc) if stamp else None


def _button_title(payload: str, last_buttons: list[dict[str, Any]]) -> str | None:
    for button in last_buttons:
        if button.get("payload") == payload:
            return str(button.get("title") or payload)
    return None


class _Question:
    """Which masked field's question a typed citizen message answers, as events go by.

    The question is the form's last `requested_slot`; it is paused while a counsellor
    holds the conversation or a message is being left for one (those messages are not
    answers), and gone when the form ends or the conversation restarts.
    """

    def __init__(self) -> None:
        self.asked: str | None = None
        self.paused: set[str] = set()

    def see(self, event: Mapping[str, Any]) -> None:
        kind, name, value = event.get("event"), event.get("name"), event.get("value")
        if kind == "slot" and name == REQUESTED_SLOT:
            self.asked = value if isinstance(value, str) else None
        elif kind == "slot" and name in HANDOFF_SLOTS:
            self.paused = self.paused | {name} if value else self.paused - {name}
        elif (kind == "active_loop" and not name) or kind == "restart":
            self.asked = None
            if kind == "restart":
                self.paused = set()

    @property
    def answered(self) -> str | None:
        return self.asked if self.asked in MASKED_FIELDS and not self.paused else None


def _messages(
    events: Iterable[Mapping[str, Any]], counsellor_texts: Iterable[str]
) -> Iterator[_Message]:
    """The messages of the tracker's events, oldest first, each with the masked field
    whose question it answered (typed citizen messages only)."""
    from_counsellor = set(counsellor_texts)
    last_buttons: list[dict[str, Any]] = []
    question = _Question()
    for index, event in enumerate(events):
        question.see(event)
        kind = event.get("event")
        if kind == "user":
            text = str(event.get("text") or "")
            if not text:
                continue
            if text.startswith("/"):  # a tapped button: its title, the assistant's words
                title = _button_title(text, last_buttons)
                yield _Message(index, "citizen", f"[{title}]" if title else "[button]", _at(event))
                continue
            yield _Message(index, "citizen", text, _at(event), answered=question.answered)
        elif kind == "bot":
            text = str(event.get("text") or "")
            data = event.get("data") or {}
            last_buttons = list(data.get("buttons") or [])
            if not text:
                continue
            who = "counsellor" if text in from_counsellor else "assistant"
            titles = tuple(str(b.get("title") or "") for b in last_buttons)
            yield _Message(index, who, text, _at(event), titles)


def _pieces(message: _Message, known: list[tuple[str, str]]) -> list[Piece]:
    if message.answered:
        return [Piece(message.text, message.answered)]
    return split_personal(message.text, known)


def _parts(pieces: Iterable[Piece], item_prefix: str | None) -> tuple[Part, ...]:
    parts, count = [], 0
    for piece in pieces:
        if not piece.personal:
            parts.append(Part(piece.text))
            continue
        item = f"{item_prefix}-{count}" if item_prefix else None
        parts.append(Part(mask(piece.text), item, piece.kind))
        count += 1
    return tuple(parts)


def transcript(
    events: Iterable[Mapping[str, Any]],
    counsellor_texts: Iterable[str] = (),
    slots: Mapping[str, Any] | None = None,
) -> list[Entry]:
    """The messages of the tracker's events, oldest first, personal data masked.

    A tapped button shows as its title; bot messages whose text a counsellor wrote are
    marked as the counsellor's (they reach the citizen as bot messages).
    """
    events = list(events)
    known = known_values(events, slots)
    return [
        Entry(m.who, _parts(_pieces(m, known), f"m{m.index}"), m.at, m.buttons)
        for m in _messages(events, counsellor_texts)
    ]


def reveal_item(
    events: Iterable[Mapping[str, Any]], item: str, slots: Mapping[str, Any] | None = None
) -> Piece | None:
    """The piece of personal data `item` names (its kind and clear text), or None."""
    events = list(events)
    known = known_values(events, slots)
    for message in _messages(events, ()):
        personal = [piece for piece in _pieces(message, known) if piece.personal]
        for count, piece in enumerate(personal):
            if f"m{message.index}-{count}" == item:
                return piece
    return None


def masked_text(
    text: str,
    events: Iterable[Mapping[str, Any]] = (),
    slots: Mapping[str, Any] | None = None,
) -> tuple[Part, ...]:
    """A text from outside the tracker (a counsellor message not yet delivered), masked
    without item ids: it becomes revealable once it is in the conversation."""
    return _parts(split_personal(text, known_values(list(events), slots)), None)


def collected(slots: Mapping[str, Any]) -> list[Collected]:
    """The answers the forms hold, personal ones masked."""
    rows = []
    for field, label in COLLECTED_FIELDS.items():
        value = slots.get(field)
        if value in (None, "", []):
            continue
        masked = field in MASKED_FIELDS
        rows.append(Collected(field, label, mask(value) if masked else str(value), masked))
    return rows

"""What a counsellor reads: the conversation's messages and the answers collected so far."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

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
# Personal numbers and contact details stay masked until the counsellor reveals them;
# every reveal is audited.
MASKED_FIELDS = frozenset({"national_number", "birth_date", "phone", "email"})
MASK = "•"


@dataclass(frozen=True)
class Entry:
    who: str  # "citizen" | "assistant" | "counsellor"
    text: str
    at: datetime | None
    buttons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Collected:
    field: str
    label: str
    shown: str
    masked: bool


def mask(value: str) -> str:
    """Every character but the last two hidden: enough to compare, not to reuse."""
    text = str(value)
    if len(text) <= 2:
        return MASK * len(text)
    return MASK * (len(text) - 2) + text[-2:]


def _at(event: dict[str, Any]) -> datetime | None:
    stamp = event.get("timestamp")
    return datetime.fromtimestamp(stamp, tz=timezone.utc) if stamp else None


def _button_title(payload: str, last_buttons: list[dict[str, Any]]) -> str | None:
    for button in last_buttons:
        if button.get("payload") == payload:
            return str(button.get("title") or payload)
    return None


def transcript(
    events: Iterable[dict[str, Any]], counsellor_texts: Iterable[str] = ()
) -> list[Entry]:
    """The messages of the tracker's events, oldest first.

    A tapped button shows as its title; bot messages whose text a counsellor wrote are
    marked as the counsellor's (they reach the citizen as bot messages).
    """
    from_counsellor = set(counsellor_texts)
    entries: list[Entry] = []
    last_buttons: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user":
            text = str(event.get("text") or "")
            if not text:
                continue
            if text.startswith("/"):
                title = _button_title(text, last_buttons)
                text = f"[{title}]" if title else "[button]"
            entries.append(Entry("citizen", text, _at(event)))
        elif kind == "bot":
            text = str(event.get("text") or "")
            data = event.get("data") or {}
            last_buttons = list(data.get("buttons") or [])
            if not text:
                continue
            who = "counsellor" if text in from_counsellor else "assistant"
            titles = tuple(str(b.get("title") or "") for b in last_buttons)
            entries.append(Entry(who, text, _at(event), titles))
    return entries


def collected(slots: dict[str, Any]) -> list[Collected]:
    """The answers the forms hold, personal ones masked."""
    rows = []
    for field, label in COLLECTED_FIELDS.items():
        value = slots.get(field)
        if value in (None, "", []):
            continue
        masked = field in MASKED_FIELDS
        rows.append(Collected(field, label, mask(value) if masked else str(value), masked))
    return rows

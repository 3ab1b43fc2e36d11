"""How the console names a handoff's reason, channel and task (the console speaks English;
citizens never see these words)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.console.transcript import COLLECTED_FIELDS, REQUESTED_SLOT

REASON_LABELS = {
    "asked": "asked for a person",
    "misunderstood": "not understood twice",
    "agency_rejected": "agency refused a request",
    "already_registered": "already registered, other details",
}
# Conversation ids are namespaced by channel: rest:<sender>, web:<session>, tg:<chat id>.
CHANNEL_PREFIXES = {"web": "Web chat", "tg": "Telegram", "rest": "REST"}
# The output channel Rasa reported, for ids without a known prefix.
CHANNEL_NAMES = {
    "socketio": "Web chat",
    "webchat": "Web chat",
    "telegram": "Telegram",
    "rest": "REST",
}
FORM_LABELS = {
    "registration_form": "Registration",
    "document_form": "Document request",
    "status_form": "Where is my request",
}
# What a masked piece is, for the label of its Show button.
KIND_LABELS = {
    "national_number": "national number",
    "birth_date": "birth date",
    "phone": "phone number",
    "email": "e-mail address",
}
NO_TASK = "no task in progress"
UNKNOWN = "unknown"


def reason_label(reason: str) -> str:
    return REASON_LABELS.get(reason, reason)


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", "personal data")


def channel_kind(conversation_id: str, channel: str | None) -> str:
    """The kind of channel only (never the id behind it: a Telegram chat id is personal)."""
    prefix = (conversation_id or "").split(":", 1)[0] if ":" in (conversation_id or "") else ""
    if prefix in CHANNEL_PREFIXES:
        return CHANNEL_PREFIXES[prefix]
    return CHANNEL_NAMES.get((channel or "").lower(), UNKNOWN)


def task_label(tracker: Mapping[str, Any] | None) -> str:
    """The form in progress and the question it is at, from a tracker's state."""
    if tracker is None:
        return UNKNOWN
    loop = (tracker.get("active_loop") or {}).get("name")
    if not loop:
        return NO_TASK
    label = FORM_LABELS.get(loop, loop.removesuffix("_form").replace("_", " "))
    asked = (tracker.get("slots") or {}).get(REQUESTED_SLOT)
    if asked in COLLECTED_FIELDS:
        return f"{label} · at: {COLLECTED_FIELDS[asked]}"
    return label

"""How the console names channels and tasks."""

from __future__ import annotations

import pytest

from bot.console.labels import channel_kind, kind_label, reason_label, task_label


@pytest.mark.parametrize(
    ("conversation_id", "channel", "kind"),
    [
        ("web:3f2a", "socketio", "Web chat"),
        ("tg:123456789", "telegram", "Telegram"),
        ("rest:me", "rest", "REST"),
        ("tg:1", "rest", "Telegram"),  # the namespaced id is the contract
        ("old-id", "socketio", "Web chat"),
        ("old-id", "telegram", "Telegram"),
        ("old-id", None, "unknown"),
        ("mail:x", "carrier-pigeon", "unknown"),
    ],
)
def test_channel_kind(conversation_id, channel, kind):
    assert channel_kind(conversation_id, channel) == kind


def test_task_label():
    assert task_label(None) == "unknown"
    assert task_label({"active_loop": {}, "slots": {}}) == "no task in progress"
    state = {"active_loop": {"name": "registration_form"}, "slots": {"requested_slot": "phone"}}
    assert task_label(state) == "Registration · at: Phone"
    assert task_label({"active_loop": {"name": "document_form"}, "slots": {}}) == "Document request"
    odd = {"active_loop": {"name": "moving_form"}, "slots": {"requested_slot": "x"}}
    assert task_label(odd) == "moving"


def test_reason_and_kind_labels():
    assert reason_label("misunderstood") == "not understood twice"
    assert reason_label("new_reason") == "new_reason"
    assert kind_label("email") == "e-mail address" and kind_label(None) == "personal data"

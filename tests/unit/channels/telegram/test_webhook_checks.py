"""The checks on a webhook call (no network)."""

from __future__ import annotations

import json

from channels.telegram.webhook import parse_update, secret_matches

SECRET = "test-webhook_secret-0123456789"


def test_secret_comparison():
    assert secret_matches(SECRET, SECRET)
    assert not secret_matches(SECRET, SECRET + "x")
    assert not secret_matches(SECRET, "")
    assert not secret_matches(SECRET, None)
    assert not secret_matches(None, "anything")


def test_only_a_readable_update_is_parsed():
    update = {
        "update_id": 7,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": 42, "type": "private"},
            "text": "hallo",
        },
    }
    parsed = parse_update(json.dumps(update).encode(), None)
    assert parsed is not None and parsed.update_id == 7 and parsed.message.text == "hallo"
    for body in (b"{not json", b"", b"\xff\xfe", b"[]", b'{"update_id": "7"}'):
        assert parse_update(body, None) is None
    assert parse_update(b'{"update_id": 7, "message": {"text": "no chat"}}', None) is None

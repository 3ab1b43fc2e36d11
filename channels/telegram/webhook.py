"""Checks on a webhook call: Telegram's secret token header and the shape of the body."""

from __future__ import annotations

import hmac
import json

from telegram import Bot, Update

# bandit B105: The name of a setting or header, not a secret.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # nosec B105


def secret_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; no configured secret means nothing matches."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def parse_update(body: bytes, bot: Bot | None) -> Update | None:
    """The update in a webhook body, or None when the body is not one (never raises)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # deep nesting: not an update
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # any shape python-telegram-bot cannot read is a bad request
        return None

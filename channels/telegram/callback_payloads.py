"""Button payloads as callback_data, which Telegram limits to 64 bytes."""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict
from collections.abc import Iterable

from bot.i18n.buttons import LANGUAGES, RESPONSE_BUTTONS
from channels.message_text import valid_unicode

MAX_CALLBACK_DATA_BYTES = 64  # Telegram's limit for a button's callback_data


class CallbackPayloads:
    """A short payload is sent as it is. A longer one is sent as a short id.

    The id is a hash of the payload (the same payload always gets the same id), kept in a
    small LRU. The payloads of the assistant's own buttons are pinned, so they survive a
    restart. An id that is not known any more decodes to None: the caller answers kindly.

    (python-telegram-bot's `arbitrary_callback_data` would replace every payload with a
    random id, also the short ones, and lose them all at a restart.)
    """

    PREFIX = "#"

    def __init__(self, capacity: int = 4096, pinned: Iterable[str] = ()) -> None:
        self._capacity = capacity
        self._recent: OrderedDict[str, str] = OrderedDict()
        self._pinned: dict[str, str] = {}
        for payload in pinned:
            if self.needs_id(payload):
                self._pinned[self.short_id(payload)] = payload

    @classmethod
    def needs_id(cls, payload: str) -> bool:
        too_long = len(payload.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES
        return too_long or payload.startswith(cls.PREFIX)

    @classmethod
    def short_id(cls, payload: str) -> str:
        digest = hashlib.sha256(payload.encode("utf-8")).digest()
        return cls.PREFIX + base64.urlsafe_b64encode(digest).decode("ascii")[:22]

    def encode(self, payload: str) -> str:
        payload = valid_unicode(payload)
        if not self.needs_id(payload):
            return payload
        key = self.short_id(payload)
        if key not in self._pinned:
            self._recent[key] = payload
            self._recent.move_to_end(key)
            while len(self._recent) > self._capacity:
                self._recent.popitem(last=False)
        return key

    def decode(self, data: str) -> str | None:
        if not data.startswith(self.PREFIX):
            return data
        if data in self._pinned:
            return self._pinned[data]
        payload = self._recent.get(data)
        if payload is not None:
            self._recent.move_to_end(data)
        return payload


def assistant_payloads() -> list[str]:
    """Every payload the assistant's own buttons can carry (bot/i18n/buttons.py)."""
    payloads = {payload for buttons in RESPONSE_BUTTONS.values() for payload, _ in buttons}
    payloads.update(payload for payload, _ in LANGUAGES)
    return sorted(payloads)

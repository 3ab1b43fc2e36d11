"""Button payloads as callback_data of at most 64 bytes (no network)."""

from __future__ import annotations

from bot.i18n.buttons import LANGUAGES, RESPONSE_BUTTONS
from channels.telegram.callback_payloads import (
    MAX_CALLBACK_DATA_BYTES,
    CallbackPayloads,
    assistant_payloads,
)


def test_unknown_ids_decode_to_none_and_the_assistants_own_payloads_survive_a_restart():
    payloads = CallbackPayloads(capacity=2)
    first = payloads.encode("/x" + "a" * 80)
    for n in range(3):
        payloads.encode(f"/y{n}" + "b" * 80)
    assert payloads.decode(first) is None  # pushed out of the LRU
    assert payloads.decode("#never-issued") is None
    assert payloads.decode("/affirm") == "/affirm"
    restarted = CallbackPayloads(pinned=assistant_payloads())
    for buttons in RESPONSE_BUTTONS.values():
        for payload, _ in buttons:
            assert restarted.decode(restarted.encode(payload)) == payload


def test_every_encoded_payload_fits_telegrams_limit():
    payloads = CallbackPayloads()
    for payload in ["/affirm", "#looks-like-an-id", "/inform" + "x" * 200]:
        data = payloads.encode(payload)
        assert len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        assert payloads.decode(data) == payload
    assert set(assistant_payloads()) >= {payload for payload, _ in LANGUAGES}

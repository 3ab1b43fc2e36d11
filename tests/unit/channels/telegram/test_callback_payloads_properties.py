"""callback_data: every payload comes back from what is sent, and what is sent always fits
Telegram's 64 bytes; ids that were never issued decode to nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from channels.telegram.callback_payloads import (
    MAX_CALLBACK_DATA_BYTES,
    CallbackPayloads,
    assistant_payloads,
)
from tests.unit.strategies import PROFILE, unicode_text

payloads = st.one_of(
    unicode_text(max_size=120),
    st.builds(lambda p: "/inform" + p, unicode_text(max_size=80)),
    st.builds(lambda p: "#" + p, unicode_text(max_size=30)),
)


@PROFILE
@given(sent=st.lists(payloads, min_size=1, max_size=20))
def test_every_payload_round_trips_and_fits(sent: list[str]) -> None:
    table = CallbackPayloads(capacity=64, pinned=assistant_payloads())
    for payload in sent:
        data = table.encode(payload)
        assert len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        assert table.encode(payload) == data  # the same payload, the same data
        assert table.decode(data) == payload


@PROFILE
@given(sent=st.lists(payloads, max_size=20), received=unicode_text(max_size=100))
def test_any_callback_data_decodes_to_an_issued_payload_itself_or_nothing(
    sent: list[str], received: str
) -> None:
    table = CallbackPayloads(capacity=8)
    issued = {table.encode(payload): payload for payload in sent}
    decoded = table.decode(received)
    if received.startswith(CallbackPayloads.PREFIX):
        assert decoded is None or decoded == issued[received]
    else:
        assert decoded == received


@PROFILE
@given(sent=st.lists(unicode_text(max_size=10).map(lambda p: "/x" + p + "y" * 70), max_size=40))
def test_the_table_stays_within_its_capacity(sent: list[str]) -> None:
    table = CallbackPayloads(capacity=5)
    data = [table.encode(payload) for payload in sent]
    assert len(table._recent) <= 5
    for key, payload in list(zip(data, sent, strict=True))[-1:]:
        assert table.decode(key) == payload


def test_the_assistants_own_payloads_survive_a_restart() -> None:
    before = CallbackPayloads(pinned=assistant_payloads())
    sent = {payload: before.encode(payload) for payload in assistant_payloads()}
    after = CallbackPayloads(capacity=1, pinned=assistant_payloads())
    for payload, data in sent.items():
        assert after.decode(data) == payload

"""The console's calls to Rasa's HTTP API: the token in the Authorization header only."""

from __future__ import annotations

import pytest

from bot.console.rasa_api import SYNC_ACTION, RasaApi, RasaUnavailable
from tests.unit.console.helpers import CONVERSATION, TOKEN


@pytest.fixture
async def rasa(rasa_stub):
    api = RasaApi(rasa_stub.base_url, token=TOKEN)
    yield api
    await api.close()


async def test_the_token_goes_in_the_header_never_in_the_url(rasa, rasa_stub):
    tracker = await rasa.tracker(CONVERSATION)
    assert tracker["sender_id"] == CONVERSATION and tracker["events"]
    assert await rasa.sync(CONVERSATION) is True
    assert rasa_stub.refused == []
    assert len(rasa_stub.urls) == 2
    assert [h["Authorization"] for h in rasa_stub.headers] == [f"Bearer {TOKEN}"] * 2
    assert all("token" not in url for url in rasa_stub.urls)
    # The namespaced id travels in the path and arrives whole.
    assert rasa_stub.tracker_reads == [(CONVERSATION, {"include_events": "AFTER_RESTART"})]
    assert rasa_stub.executes == [
        (
            CONVERSATION,
            {"name": SYNC_ACTION, "policy": "console", "confidence": 1.0},
            {"output_channel": "latest"},
        )
    ]


async def test_the_state_only_tracker_carries_no_events(rasa, rasa_stub):
    state = await rasa.tracker(CONVERSATION, include_events="NONE")
    assert state["events"] == [] and state["active_loop"] == {"name": "registration_form"}
    assert rasa_stub.tracker_reads == [(CONVERSATION, {"include_events": "NONE"})]


async def test_a_wrong_token_is_refused_and_reported(rasa_stub):
    api = RasaApi(rasa_stub.base_url, token="wrong")
    try:
        with pytest.raises(RasaUnavailable, match="HTTP 401"):
            await api.tracker(CONVERSATION)
        assert await api.sync(CONVERSATION) is False
    finally:
        await api.close()
    assert len(rasa_stub.refused) == 2


async def test_without_a_token_no_authorization_header_is_sent(rasa_stub):
    api = RasaApi(rasa_stub.base_url)
    try:
        with pytest.raises(RasaUnavailable):
            await api.tracker(CONVERSATION)
    finally:
        await api.close()
    assert rasa_stub.headers[-1].get("Authorization") is None

"""The action server answers only Rasa when it can be reached from elsewhere."""

from __future__ import annotations

import dataclasses

import aiohttp
import pytest

from bot.network import is_loopback
from bot.ops.action_server import build_app
from bot.ops.shared_secret import action_server_secret
from bot.secret_values import MissingSecret
from bot.settings import load_settings
from tests.support import serve_app


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
    ],
)
def test_loopback_hosts(host, loopback):
    assert is_loopback(host) is loopback


def test_no_secret_needed_on_loopback_locally(monkeypatch):
    monkeypatch.delenv("ACTION_SERVER_SECRET", raising=False)
    assert action_server_secret(load_settings(), "127.0.0.1") == ""


def test_a_secret_is_required_beyond_loopback_and_in_production(monkeypatch):
    monkeypatch.delenv("ACTION_SERVER_SECRET", raising=False)
    with pytest.raises(MissingSecret):
        action_server_secret(load_settings(), "0.0.0.0")
    production = dataclasses.replace(load_settings(), environment="production")
    with pytest.raises(MissingSecret):
        action_server_secret(production, "127.0.0.1")
    monkeypatch.setenv("ACTION_SERVER_SECRET", "s3cret")
    assert action_server_secret(production, "0.0.0.0") == "s3cret"


async def test_calls_without_the_secret_are_refused_but_health_answers():
    app = build_app("s3cret")
    body = {"next_action": "action_listen", "tracker": {}, "domain": {}}
    async with serve_app(app) as base_url, aiohttp.ClientSession() as session:
        async with session.get(f"{base_url}/health") as answer:
            assert answer.status == 200
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
            async with session.post(f"{base_url}/webhook", json=body, headers=headers) as answer:
                assert answer.status == 401
            async with session.post(f"{base_url}/nlg", json={}, headers=headers) as answer:
                assert answer.status == 401
        good = {"Authorization": "Bearer s3cret"}
        nlg = {"response": "utter_greet", "tracker": {"slots": {"language": "en"}}}
        async with session.post(f"{base_url}/nlg", json=nlg, headers=good) as answer:
            assert answer.status == 200
            assert (await answer.json())["text"]

"""`python -m bot.console serve` listens where the settings say, loopback by default."""

from __future__ import annotations

import pytest

from bot.console import server, users_cli


@pytest.fixture
def run_app(monkeypatch, tmp_path):
    """Captures what web.run_app would be started with (nothing listens)."""
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.db'}")
    monkeypatch.setenv("CONSOLE_PORT", "5999")
    monkeypatch.delenv("ASSISTANT_BIND_HOST", raising=False)
    calls: list[dict] = []
    monkeypatch.setattr(server.web, "run_app", lambda app, **kwargs: calls.append(kwargs))
    return calls


def test_the_console_binds_loopback_by_default(run_app):
    assert users_cli.main(["serve"]) == 0
    [call] = run_app
    assert (call["host"], call["port"]) == ("127.0.0.1", 5999)


def test_the_console_binds_the_configured_host(run_app, monkeypatch):
    monkeypatch.setenv("ASSISTANT_BIND_HOST", "10.0.0.7")
    server.serve()
    assert run_app[-1]["host"] == "10.0.0.7"


def test_an_explicit_host_wins(run_app, monkeypatch):
    monkeypatch.setenv("ASSISTANT_BIND_HOST", "10.0.0.7")
    assert users_cli.main(["serve", "--host", "192.168.1.2", "--port", "6001"]) == 0
    assert (run_app[-1]["host"], run_app[-1]["port"]) == ("192.168.1.2", 6001)

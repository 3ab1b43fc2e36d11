"""The four endpoints of a running fuzz stack, by name."""

from __future__ import annotations

from tests.fuzz.console_target import ConsoleTarget
from tests.fuzz.rest_target import RestTarget
from tests.fuzz.runner import Target
from tests.fuzz.socketio_target import SocketIOTarget
from tests.fuzz.stack import FuzzStack
from tests.fuzz.telegram_target import TelegramTarget

ENDPOINTS = ("rest", "socketio", "telegram", "console")


def make_target(endpoint: str, running: FuzzStack, seed: int, bound: float) -> Target:
    host, port = running.rasa
    if endpoint == "rest":
        return RestTarget(host, port, seed, bound)
    if endpoint == "socketio":
        return SocketIOTarget(host, port, seed, bound)
    if endpoint == "telegram":
        return TelegramTarget(host, port, seed, bound, running.telegram_secret, running.telegram)
    if endpoint == "console":
        console_host, console_port = running.console
        return ConsoleTarget(
            console_host,
            console_port,
            seed,
            bound,
            running.console_cookie,
            running.console_csrf,
            running.handoff_id,
        )
    raise ValueError(f"unknown endpoint {endpoint!r}; one of {', '.join(ENDPOINTS)}")

"""What one sandbox application keeps in memory: tokens, injected faults, counters."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy.orm import sessionmaker

DEFAULT_TOKEN_LIFETIME_SECONDS = 3600


@dataclass
class Faults:
    """Failures to inject into the next /v1 calls (set through /_sandbox/faults)."""

    fail_next: int = 0
    status: int = 503
    delay_next: int = 0
    delay_seconds: float = 0.0

    def as_dict(self) -> dict:
        return {
            "fail_next": self.fail_next,
            "status": self.status,
            "delay_next": self.delay_next,
            "delay_seconds": self.delay_seconds,
        }


@dataclass
class SandboxState:
    session_factory: sessionmaker
    client_id: str
    client_secret: str
    token_lifetime_seconds: int
    tokens: dict[str, float] = field(default_factory=dict)  # token -> monotonic expiry
    faults: Faults = field(default_factory=Faults)
    counters: Counter = field(default_factory=Counter)


STATE = web.AppKey("sandbox_state", SandboxState)


def state_of(request: web.Request) -> SandboxState:
    return request.app[STATE]

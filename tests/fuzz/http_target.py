"""What the HTTP endpoints share: make a case from its number, send it, judge the answer."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod

from tests.fuzz.checks import Outcome, judge_http
from tests.fuzz.http_client import HttpCase, send
from tests.fuzz.payloads import Payloads


def case_random(seed: int, endpoint: str, index: int) -> random.Random:
    """The generator of one case: the same (seed, endpoint, index), the same case."""
    return random.Random(f"{seed}:{endpoint}:{index}")


class HttpTarget(ABC):
    """An HTTP server a stranger can reach, fuzzed one request per case."""

    name = ""

    def __init__(self, host: str, port: int, seed: int, bound: float) -> None:
        self.host, self.port, self.seed, self.bound = host, port, seed, bound

    @abstractmethod
    def make(self, payloads: Payloads) -> tuple[str, HttpCase]:
        """(the kind of case, the request) drawn from `payloads`."""

    def build(self, index: int) -> tuple[str, HttpCase]:
        return self.make(Payloads(case_random(self.seed, self.name, index)))

    async def case(self, index: int) -> Outcome:
        kind, request = self.build(index)
        answer = await send(self.host, self.port, request, timeout=self.bound + 5)
        sent = request.target + "\n" + request.body.decode("utf-8", "replace")
        sent += "\n".join(value for _, value in request.headers)
        return Outcome(
            endpoint=self.name,
            index=index,
            kind=kind,
            status=answer.status if answer.status is not None else answer.problem,
            seconds=answer.seconds,
            problems=judge_http(answer, sent, self.bound),
            sent=request.describe(),
            answer_preview=answer.text[:300],
        )

    @abstractmethod
    async def still_works(self) -> list[str]:
        """Problems found by a health check and a real use after the run (none: fine)."""

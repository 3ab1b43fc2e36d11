"""Runs the cases of each endpoint, then checks that every server survived; reports.

Cases of one endpoint run a few at a time (like several strangers at once). A failing
case is written to `<report_dir>/<endpoint>-<case>.json` with the request as it was sent
(body in base64), so that it can be replayed by hand or with `bot.ops.fuzz --case`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tests.fuzz.checks import Outcome

# This many cases in a row without any answer: the server has stopped answering, and the
# run ends there rather than waiting out the time bound of every remaining case.
SILENT_CASES_TO_STOP = 8


class Target(Protocol):
    name: str

    async def case(self, index: int) -> Outcome: ...

    async def still_works(self) -> list[str]: ...


@dataclass
class Report:
    endpoint: str
    seed: int
    outcomes: list[Outcome] = field(default_factory=list)
    after_run: list[str] = field(default_factory=list)  # problems once the run was over
    seconds: float = 0.0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.after_run

    def summary(self) -> str:
        statuses = Counter(str(o.status) for o in self.outcomes)
        kinds = Counter(o.kind for o in self.outcomes)
        slowest = max((o.seconds for o in self.outcomes), default=0.0)
        lines = [
            f"{self.endpoint}: {len(self.outcomes)} cases, seed {self.seed}, "
            f"{self.seconds:.0f} s, slowest answer {slowest:.1f} s, "
            f"{len(self.failures)} failed, "
            f"{'still works' if not self.after_run else 'BROKEN AFTER THE RUN'}",
            "  answers: " + ", ".join(f"{k} x{n}" for k, n in sorted(statuses.items())),
            "  cases:   " + ", ".join(f"{k} x{n}" for k, n in sorted(kinds.items())),
        ]
        for outcome in self.failures[:20]:
            lines.append(
                f"  FAILED case {outcome.index} ({outcome.kind}, {outcome.status}): "
                + " | ".join(outcome.problems)
            )
        lines += [f"  AFTER THE RUN: {problem}" for problem in self.after_run]
        return "\n".join(lines)

    def write_failures(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for outcome in self.failures:
            path = directory / f"{self.endpoint}-{outcome.index}.json"
            record = {
                "endpoint": self.endpoint,
                "seed": self.seed,
                "case": outcome.index,
                "kind": outcome.kind,
                "status": outcome.status,
                "seconds": round(outcome.seconds, 2),
                "problems": outcome.problems,
                "sent": outcome.sent,
                "answer_preview": outcome.answer_preview,
                "replay": f"python -m bot.ops.fuzz --endpoint {self.endpoint} "
                f"--seed {self.seed} --case {outcome.index}",
            }
            path.write_text(json.dumps(record, indent=2, default=repr), encoding="utf-8")
            written.append(path)
        return written


async def run(
    target: Target,
    cases: range,
    seed: int,
    alive: Callable[[], None],
    concurrency: int = 4,
    progress: Callable[[Outcome], None] | None = None,
) -> Report:
    """Run `cases` of `target`; `alive` raises when a server process has died."""
    report = Report(target.name, seed)
    started = time.monotonic()
    pending = iter(cases)
    in_flight: set[int] = set()
    silent: list[int] = []  # the latest cases in a row that got no answer

    async def worker() -> None:
        for index in pending:
            if report.after_run:  # a server died or went silent: the run is over
                return
            in_flight.add(index)
            try:
                outcome = await target.case(index)
            except RecursionError:
                # The client library cannot even serialise this payload (too deeply
                # nested): nothing reached the server, so there is nothing to judge.
                outcome = Outcome(target.name, index, "?", "not sendable", 0.0, [])
            except Exception as error:  # a client-side surprise is reported, not fatal
                outcome = Outcome(target.name, index, "?", "client error", 0.0, [repr(error)])
            report.outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
            silent[:] = [*silent, index] if _unanswered(outcome) else []
            if len(silent) >= SILENT_CASES_TO_STOP:
                if not report.after_run:
                    report.after_run.append(
                        f"the server stopped answering: no answer to cases {sorted(silent)} "
                        "(look at the cases just before them)"
                    )
                return
            try:
                alive()
            except Exception as error:  # a server died: the run ends with that finding
                if not report.after_run:
                    report.after_run.append(
                        f"a server died while cases {sorted(in_flight)} ran (or a message of "
                        f"an earlier case was still being processed): {error}"
                    )
                return
            finally:
                in_flight.discard(index)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    report.outcomes.sort(key=lambda o: o.index)
    if not report.after_run:
        report.after_run += await target.still_works()
    report.seconds = time.monotonic() - started
    return report


def _unanswered(outcome: Outcome) -> bool:
    return any(p.startswith(("no answer", "could not connect")) for p in outcome.problems)

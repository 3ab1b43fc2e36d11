"""One system through every level, and the 1-against-2 Rasa instances comparison.

Before the levels each Rasa instance holds a few unmeasured conversations (warm-up: the
first messages load caches and build TensorFlow's graphs). Around each level the CPU
time of the system's server trees is read, the bench's own CPU time too, and the memory
sampler is reset, so that every figure belongs to that level alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.ops.bench.load import LevelPlan, run_level
from bot.ops.bench.metrics import MB, PeakSampler, cpu_seconds, own_cpu_seconds, read_trees
from bot.ops.bench.report import summarise_level
from bot.ops.bench.scripts import Scenario
from bot.ops.bench.servers import RunningSystem

WARMUP_CONVERSATIONS = 2  # per Rasa instance: one over socket.io, one over REST
DRAIN_TURNS = 5  # a level's hard deadline: its time budget + 5 turn timeouts


@dataclass
class LevelSettings:
    conversations: int | None  # per level (at least the concurrency); None: max(2N, 20)
    level_seconds: float
    turn_timeout: float
    socketio_share: float
    sample_interval: float = 0.2


def conversations_for(concurrency: int, settings: LevelSettings) -> int:
    if settings.conversations is None:
        return max(2 * concurrency, 20)
    return max(settings.conversations, concurrency)


class SystemBench:
    """Runs levels against one running system; numbers its citizens across levels."""

    def __init__(
        self,
        system: RunningSystem,
        scenario: Scenario,
        settings: LevelSettings,
        log: Callable[[str], None] = print,
    ) -> None:
        self.system = system
        self.scenario = scenario
        self.settings = settings
        self.log = log
        self.next_index = 0
        self.sampler = PeakSampler(system.roots(), settings.sample_interval)
        self.warmup_errors: list[str] = []

    def __enter__(self) -> SystemBench:
        self.sampler.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.sampler.stop()

    def _run(self, urls: list[str], plan: LevelPlan, tag: str):
        run = asyncio.run(run_level(self.scenario, urls, plan, f"bench-{self.system.name}-{tag}"))
        self.next_index += len(run.outcomes)
        return run

    def warm_up(self, urls: list[str] | None = None) -> None:
        for url in urls or self.system.rasa_urls:
            plan = LevelPlan(
                concurrency=1,
                max_conversations=WARMUP_CONVERSATIONS,
                max_seconds=300,
                turn_timeout=self.settings.turn_timeout,
                socketio_share=0.5,
                first_index=self.next_index,
                drain_seconds=DRAIN_TURNS * self.settings.turn_timeout,
            )
            run = self._run([url], plan, f"warmup{self.next_index}")
            self.warmup_errors += [f"{o.error}: {o.detail}" for o in run.outcomes if o.error]
        self.system.group.check_alive()

    def idle_rss_mb(self) -> dict[str, float]:
        readings = read_trees(self.system.roots())
        return {name: round(r.rss_bytes / MB, 1) for name, r in readings.items()}

    def level(self, concurrency: int) -> dict[str, Any]:
        settings = self.settings
        plan = LevelPlan(
            concurrency=concurrency,
            max_conversations=conversations_for(concurrency, settings),
            max_seconds=settings.level_seconds,
            turn_timeout=settings.turn_timeout,
            socketio_share=settings.socketio_share,
            first_index=self.next_index,
            drain_seconds=DRAIN_TURNS * settings.turn_timeout,
        )
        roots = self.system.roots()
        instances = len(self.system.rasa_urls)
        self.log(
            f"  {self.system.name}: {concurrency} concurrent, up to {plan.max_conversations} "
            f"conversations or {plan.max_seconds:.0f} s, {instances} Rasa instance(s)..."
        )
        self.sampler.reset()
        before, client_before = cpu_seconds(roots), own_cpu_seconds()
        run = self._run(list(self.system.rasa_urls), plan, f"c{concurrency}-{self.next_index}")
        after, client_after = cpu_seconds(roots), own_cpu_seconds()
        self.sampler.sample()
        self.system.group.check_alive()
        result = summarise_level(
            run, before, after, self.sampler.peaks_mb(), client_after - client_before, instances
        )
        self.log(
            f"    {result['turns']} turns in {result['elapsed_seconds']:.1f} s: "
            f"{result['turns_per_second']} turns/s, p50/p95 "
            f"{result['latency_ms']['p50']}/{result['latency_ms']['p95']} ms, "
            f"{result['cpu_ms_per_turn']} ms CPU/turn, {result['errors']['total']} errors"
        )
        for sample in result["error_samples"][:2]:
            self.log(f"    error: {sample[:300]}")
        return result

    def add_instance(self) -> float:
        """A second Rasa process on the same action server; its start-up seconds."""
        seconds = self.system.add_rasa_instance()
        self.sampler.watch([self.system.servers[-1]], self.system.roots())
        self.warm_up([self.system.rasa_urls[-1]])
        return seconds


def scaling(bench: SystemBench, concurrency: int, measured: list[dict[str, Any]]) -> dict[str, Any]:
    """Throughput with 2 Rasa instances against 1 at `concurrency` conversations."""
    one = next(
        (lv for lv in measured if lv["concurrency"] == concurrency and lv["rasa_instances"] == 1),
        None,
    )
    if one is None:
        one = bench.level(concurrency)
    bench.log(f"  ours: starting a second Rasa instance for 1 against 2 at {concurrency}...")
    startup = bench.add_instance()
    two = bench.level(concurrency)
    ratio = (
        round(two["turns_per_second"] / one["turns_per_second"], 2)
        if one["turns_per_second"] and two["turns_per_second"]
        else None
    )
    return {
        "concurrency": concurrency,
        "split": "client side, round-robin by conversation (a conversation stays on one "
        "instance); one action server, one sandbox; shared SQLite tracker store, an "
        "in-memory lock store per instance",
        "second_instance_startup_seconds": round(startup, 1),
        "one_instance": one,
        "two_instances": two,
        "throughput_ratio": ratio,
    }

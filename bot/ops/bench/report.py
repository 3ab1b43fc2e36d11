"""The figures of a level, the side-by-side table and the JSON report.

Per level and per system (`summarise_level`):
- turns: turns that got an answer (those of conversations that failed later included);
- turns_per_second: turns / elapsed, elapsed running from the level's first message to
  the end of its last conversation;
- latency_ms p50/p95/p99 (linear interpolation), mean and max over those turns, all
  channels together and per channel (REST, socket.io);
- errors: failed conversations by their first problem (load.py), and their total;
- cpu_ms_per_turn: the CPU time (user + system) the system's server processes and all
  their children used during the level (differences of /proc/<pid>/stat utime + stime +
  cutime + cstime, metrics.py), summed over the processes, divided by turns; per process
  in cpu_ms_per_turn_by_process. For this project: Rasa + action server + agency sandbox;
  for the bare assistant: Rasa;
- peak_rss_mb: per process (with its children), the largest resident memory sampled
  every 0.2 s during the level;
- client_cpu_seconds: CPU time of the bench itself during the level (on a 2-core
  machine the simulated citizens compete with the servers; a large value means the
  figures are partly the client's).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.ops.bench.load import ERROR_KINDS, LevelRun

ERROR_SAMPLES = 5
BUSY_LOAD_PER_CPU = 0.25  # 1-minute load average per CPU above which a run is flagged


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear interpolation between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(seconds: Sequence[float]) -> dict[str, float | None]:
    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 1)

    return {
        "p50": ms(percentile(seconds, 50)),
        "p95": ms(percentile(seconds, 95)),
        "p99": ms(percentile(seconds, 99)),
        "mean": ms(sum(seconds) / len(seconds)) if seconds else None,
        "max": ms(max(seconds)) if seconds else None,
        "turns": len(seconds),
    }


def summarise_level(
    run: LevelRun,
    cpu_before: Mapping[str, float],
    cpu_after: Mapping[str, float],
    peak_rss_mb: Mapping[str, float],
    client_cpu_seconds: float,
    instances: int,
) -> dict[str, Any]:
    outcomes = run.outcomes
    latencies = [seconds for o in outcomes for seconds in o.latencies]
    turns = len(latencies)
    channels = sorted({o.channel for o in outcomes})
    errors = Counter(o.error for o in outcomes if o.error)
    cpu = {name: max(0.0, cpu_after[name] - cpu_before.get(name, 0.0)) for name in cpu_after}
    cpu_total = sum(cpu.values())

    def per_turn(seconds: float) -> float | None:
        return round(seconds * 1000 / turns, 1) if turns else None

    return {
        "concurrency": run.plan.concurrency,
        "rasa_instances": instances,
        "conversations": {
            "started": len(outcomes),
            "completed": sum(1 for o in outcomes if not o.error),
            "by_kind": dict(Counter(o.kind for o in outcomes)),
            "by_channel": dict(Counter(o.channel for o in outcomes)),
        },
        "turns": turns,
        "elapsed_seconds": round(run.elapsed, 2),
        "turns_per_second": round(turns / run.elapsed, 2) if run.elapsed > 0 else None,
        "latency_ms": latency_summary(latencies),
        "latency_ms_by_channel": {
            channel: latency_summary(
                [s for o in outcomes if o.channel == channel for s in o.latencies]
            )
            for channel in channels
        },
        "errors": {
            **{kind: errors.get(kind, 0) for kind in ERROR_KINDS},
            "total": sum(errors.values()),
        },
        "error_samples": [
            f"{o.error} ({o.kind}, {o.channel}): {o.detail}" for o in outcomes if o.error
        ][:ERROR_SAMPLES],
        "cpu_ms_per_turn": per_turn(cpu_total),
        "cpu_ms_per_turn_by_process": {name: per_turn(value) for name, value in cpu.items()},
        "cpu_seconds_by_process": {name: round(value, 2) for name, value in cpu.items()},
        "peak_rss_mb": dict(peak_rss_mb),
        "client_cpu_seconds": round(client_cpu_seconds, 2),
    }


# --- the table -------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _latencies(level: Mapping[str, Any] | None) -> str:
    if not level:
        return "-"
    latency = level["latency_ms"]
    return "/".join(_fmt(latency[k], 0) for k in ("p50", "p95", "p99"))


def _errors(level: Mapping[str, Any] | None) -> str:
    if not level:
        return "-"
    return "/".join(str(level["errors"][k]) for k in ERROR_KINDS)


def _level_rows(ours: Mapping | None, bare: Mapping | None) -> list[tuple[str, str, str]]:
    def both(get) -> tuple[str, str]:
        return tuple(get(level) if level else "-" for level in (ours, bare))  # type: ignore[return-value]

    rows = [
        (
            "conversations completed/started",
            *both(
                lambda lv: f"{lv['conversations']['completed']}/{lv['conversations']['started']}"
            ),
        ),
        ("turns", *both(lambda lv: str(lv["turns"]))),
        ("turns per second", *both(lambda lv: _fmt(lv["turns_per_second"], 2))),
        ("latency p50/p95/p99 (ms)", _latencies(ours), _latencies(bare)),
        ("errors (failed conversations)", *both(lambda lv: str(lv["errors"]["total"]))),
        (f"  {'/'.join(ERROR_KINDS)}", _errors(ours), _errors(bare)),
        ("CPU per turn (ms, all servers)", *both(lambda lv: _fmt(lv["cpu_ms_per_turn"]))),
    ]
    names = list(
        dict.fromkeys([*(ours or {}).get("peak_rss_mb", {}), *(bare or {}).get("peak_rss_mb", {})])
    )
    for name in names:
        rows.append(
            (
                f"  CPU per turn, {name} (ms)",
                *both(lambda lv, n=name: _fmt(lv["cpu_ms_per_turn_by_process"].get(n))),
            )
        )
    for name in names:
        rows.append(
            (f"peak RSS {name} (MB)", *both(lambda lv, n=name: _fmt(lv["peak_rss_mb"].get(n), 0)))
        )
    rows.append(("bench client CPU (s)", *both(lambda lv: _fmt(lv["client_cpu_seconds"]))))
    return rows


def _render(rows: list[tuple[str, str, str]], title: str) -> list[str]:
    lines = [f"{title:<46}{'ours':>16}{'bare':>16}"]
    lines += [f"  {label:<44}{left:>16}{right:>16}" for label, left, right in rows]
    return lines


def table(report: Mapping[str, Any]) -> str:
    systems = report["systems"]
    ours, bare = systems.get("ours") or {}, systems.get("bare") or {}
    lines = [
        f"Benchmark ({report['mode']} mode): this project (ours) | bare Rasa "
        f"{report['machine']['rasa_version']} assistant (bare); {report['machine']['cpus']} "
        f"CPUs, load before {report['machine']['load_average_before']}",
    ]
    load = report["machine"]["load_average_before"][0]
    if load > BUSY_LOAD_PER_CPU * (report["machine"]["cpus"] or 1):
        lines.append(
            f"NOTE: the machine was busy before the run (load {load:.1f}): other work shares "
            "the CPUs, so these figures are not meaningful."
        )
    lines.append("")

    def fact(system: Mapping, *keys: str, digits: int = 1) -> str:
        value: Any = system
        for key in keys:
            value = value.get(key) if isinstance(value, Mapping) else None
        return _fmt(value, digits)

    lines += _render(
        [
            ("model size (MB)", fact(ours, "model_size_mb"), fact(bare, "model_size_mb")),
            (
                "training time (s)",
                fact(ours, "training", "seconds", digits=0),
                fact(bare, "training", "seconds", digits=0),
            ),
            (
                "start-up to first answer (s)",
                fact(ours, "startup_to_first_answer_seconds"),
                fact(bare, "startup_to_first_answer_seconds"),
            ),
            *(
                (f"RSS after start, {name} (MB)", *(_idle(system, name) for system in (ours, bare)))
                for name in dict.fromkeys(
                    [*ours.get("idle_rss_mb", {}), *bare.get("idle_rss_mb", {})]
                )
            ),
        ],
        "system",
    )
    if ours.get("training") and ours["training"].get("seconds") is None:
        lines.append(f"  (ours: training time {ours['training']['source']})")
    bare_training = bare.get("training") or {}
    trained_load = (bare_training.get("load_average_before") or [0.0])[0]
    if trained_load > BUSY_LOAD_PER_CPU * (bare_training.get("cpus") or 1):
        lines.append(
            f"  (bare: trained while the machine was busy, load {trained_load:.1f}; "
            "--retrain-bare times it again)"
        )
    by_level: dict[int, dict[str, Any]] = {}
    for name, system in (("ours", ours), ("bare", bare)):
        for level in system.get("levels", []):
            by_level.setdefault(level["concurrency"], {})[name] = level
    for concurrency in sorted(by_level):
        pair = by_level[concurrency]
        lines.append("")
        lines += _render(
            _level_rows(pair.get("ours"), pair.get("bare")),
            f"{concurrency} concurrent conversation{'s' if concurrency > 1 else ''}",
        )
    scaling = report.get("scaling")
    if scaling and scaling.get("two_instances"):
        one, two = scaling["one_instance"], scaling["two_instances"]
        lines += [
            "",
            f"1 against 2 Rasa instances of ours at {scaling['concurrency']} concurrent "
            "conversations (one action server, conversations split round-robin)",
            f"  turns per second: 1 instance {_fmt(one['turns_per_second'], 2)}, "
            f"2 instances {_fmt(two['turns_per_second'], 2)}, "
            f"ratio 2/1 = {_fmt(scaling['throughput_ratio'], 2)}",
            f"  p95 latency (ms): {_fmt(one['latency_ms']['p95'], 0)} against "
            f"{_fmt(two['latency_ms']['p95'], 0)}; errors {one['errors']['total']} against "
            f"{two['errors']['total']}",
            f"  CPU per turn (ms): {_fmt(one['cpu_ms_per_turn'])} against "
            f"{_fmt(two['cpu_ms_per_turn'])}",
        ]
    elif scaling:
        lines += ["", f"1 against 2 Rasa instances: {scaling.get('skipped', 'not run')}"]
    return "\n".join(lines)


def _idle(system: Mapping[str, Any], name: str) -> str:
    return _fmt((system.get("idle_rss_mb") or {}).get(name), 0)


def write_json(report: Mapping[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

"""bench.png: throughput and p95 latency per level for both systems, CPU per turn bars."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LABELS = {"ours": "this project", "bare": "bare Rasa"}
COLOURS = {"ours": "#1f77b4", "bare": "#ff7f0e"}


def plot(report: Mapping[str, Any], path: Path) -> Path:
    # matplotlib 3.5 warns about its own use of pyparsing; nothing for the operator to do.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _plot(report, path)


def _plot(report: Mapping[str, Any], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    systems = {
        name: system.get("levels", [])
        for name, system in report["systems"].items()
        if system and system.get("levels")
    }
    figure, (throughput, latency, cpu) = plt.subplots(1, 3, figsize=(15, 4.5))
    for name, levels in systems.items():
        x = [level["concurrency"] for level in levels]
        throughput.plot(
            x,
            [level["turns_per_second"] for level in levels],
            "o-",
            color=COLOURS.get(name),
            label=LABELS.get(name, name),
        )
        latency.plot(
            x,
            [level["latency_ms"]["p95"] for level in levels],
            "o-",
            color=COLOURS.get(name),
            label=LABELS.get(name, name),
        )
    concurrencies = sorted({lv["concurrency"] for levels in systems.values() for lv in levels})
    for axis, title, unit in (
        (throughput, "Throughput", "turns per second"),
        (latency, "Turn latency, p95", "ms"),
    ):
        axis.set_title(title)
        axis.set_xlabel("concurrent conversations")
        axis.set_ylabel(unit)
        axis.set_xscale("log")
        axis.set_xticks(concurrencies)
        axis.set_xticklabels([str(c) for c in concurrencies])
        axis.minorticks_off()
        axis.set_ylim(0, axis.get_ylim()[1] * 1.15)  # from 0, room above the lines
        axis.grid(True, alpha=0.3)
        axis.legend()
    width = 0.8 / max(1, len(systems))
    for offset, (name, levels) in enumerate(systems.items()):
        values = {lv["concurrency"]: lv["cpu_ms_per_turn"] or 0 for lv in levels}
        cpu.bar(
            [i + offset * width for i in range(len(concurrencies))],
            [values.get(c, 0) for c in concurrencies],
            width,
            color=COLOURS.get(name),
            label=LABELS.get(name, name),
        )
    cpu.set_xticks([i + width * (len(systems) - 1) / 2 for i in range(len(concurrencies))])
    cpu.set_xticklabels([str(c) for c in concurrencies])
    cpu.set_title("CPU time per turn (all server processes)")
    cpu.set_xlabel("concurrent conversations")
    cpu.set_ylabel("ms")
    cpu.grid(True, axis="y", alpha=0.3)
    cpu.set_ylim(0, cpu.get_ylim()[1] * 1.25)  # room for the legend
    cpu.legend()
    scaling = report.get("scaling") or {}
    if scaling.get("throughput_ratio"):
        figure.text(
            0.5,
            0.01,
            f"2 Rasa instances against 1 at {scaling['concurrency']} concurrent: "
            f"throughput x{scaling['throughput_ratio']:.2f}",
            ha="center",
        )
    figure.suptitle(f"make bench ({report['mode']} mode, {report['machine']['cpus']} CPUs)")
    figure.tight_layout(rect=(0, 0.04, 1, 0.95))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path

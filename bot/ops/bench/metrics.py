"""Process metrics from /proc: CPU time and resident memory of a server and its children.

A server is watched as a *tree*: the process that was started and every process below it,
found again at each reading through the parent ids in /proc/<pid>/stat (Linux only).

- CPU time of a tree: the sum over its processes of utime + stime, plus cutime + cstime
  (the time of children that already ended and were waited for). A child that ends
  between two readings moves its time into its parent's cutime/cstime, so a difference of
  two readings counts it exactly once.
- RSS of a tree: the sum of the resident pages of its processes (field 24 of stat).
- `PeakSampler` reads the RSS of every watched tree every `interval` seconds in a thread
  and keeps the largest value per tree since it was last reset.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MB = 1024 * 1024


@dataclass(frozen=True)
class ProcStat:
    pid: int
    ppid: int
    cpu_ticks: int  # utime + stime + cutime + cstime
    rss_bytes: int


def read_stat(pid: int, proc: Path = PROC) -> ProcStat | None:
    """One process's /proc/<pid>/stat, or None when it is gone."""
    try:
        raw = (proc / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError, PermissionError, OSError):
        return None
    # The command name (field 2) is in parentheses and may hold spaces or ")".
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[0] is field 3 (state): field n of proc(5) is fields[n - 3].
    utime, stime, cutime, cstime = (int(fields[i]) for i in (11, 12, 13, 14))
    return ProcStat(
        pid=pid,
        ppid=int(fields[1]),
        cpu_ticks=utime + stime + cutime + cstime,
        rss_bytes=int(fields[21]) * PAGE_BYTES,
    )


def all_stats(proc: Path = PROC) -> dict[int, ProcStat]:
    """Every process of the machine that can be read right now."""
    found: dict[int, ProcStat] = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            stat = read_stat(int(entry.name), proc)
            if stat is not None:
                found[stat.pid] = stat
    return found


def tree(root: int, stats: Mapping[int, ProcStat]) -> list[ProcStat]:
    """`root` and all its descendants among `stats` (empty when `root` is gone)."""
    if root not in stats:
        return []
    children: dict[int, list[int]] = {}
    for stat in stats.values():
        children.setdefault(stat.ppid, []).append(stat.pid)
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(stats[pid])
        todo += children.get(pid, [])
    return found


@dataclass(frozen=True)
class TreeReading:
    cpu_seconds: float
    rss_bytes: int
    processes: int


def read_trees(roots: Mapping[str, int], proc: Path = PROC) -> dict[str, TreeReading]:
    """CPU seconds and RSS of each named tree, from one pass over /proc."""
    stats = all_stats(proc)
    readings = {}
    for name, root in roots.items():
        members = tree(root, stats)
        readings[name] = TreeReading(
            cpu_seconds=sum(m.cpu_ticks for m in members) / CLOCK_TICKS,
            rss_bytes=sum(m.rss_bytes for m in members),
            processes=len(members),
        )
    return readings


def cpu_seconds(roots: Mapping[str, int], proc: Path = PROC) -> dict[str, float]:
    return {name: r.cpu_seconds for name, r in read_trees(roots, proc).items()}


def own_cpu_seconds() -> float:
    """CPU time of this (the load generating) process and its threads."""
    times = os.times()
    return times.user + times.system


class PeakSampler:
    """Peak RSS per named process tree, sampled in a background thread."""

    def __init__(self, roots: Mapping[str, int], interval: float = 0.2, proc: Path = PROC) -> None:
        self.roots = dict(roots)
        self.interval = interval
        self.proc = proc
        self._peaks: dict[str, int] = {}
        self._samples = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> PeakSampler:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="bench-rss", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.sample()  # one last reading: a short level still gets one at its end

    def watch(self, names: Iterable[str], roots: Mapping[str, int]) -> None:
        with self._lock:
            for name in names:
                self.roots[name] = roots[name]

    def reset(self) -> None:
        with self._lock:
            self._peaks = {}
            self._samples = 0
        self.sample()

    def sample(self) -> None:
        with self._lock:
            roots = dict(self.roots)
        with contextlib.suppress(OSError):
            readings = read_trees(roots, self.proc)
            with self._lock:
                self._samples += 1
                for name, reading in readings.items():
                    self._peaks[name] = max(self._peaks.get(name, 0), reading.rss_bytes)

    def peaks_mb(self) -> dict[str, float]:
        with self._lock:
            return {name: round(value / MB, 1) for name, value in self._peaks.items()}

    @property
    def samples(self) -> int:
        return self._samples

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

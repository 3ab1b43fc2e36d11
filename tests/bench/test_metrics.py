"""CPU time and memory of a process tree, read from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bot.ops.bench.metrics import PeakSampler, cpu_seconds, read_stat, read_trees

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="Linux /proc only")

# A parent that starts a child; the child burns CPU for a while, then both wait.
TREE = """
import subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c",
    "import time\\nend = time.process_time() + 0.6\\nwhile time.process_time() < end: pass\\n"
    "time.sleep(30)"])
print(child.pid, flush=True)
time.sleep(30)
"""


def test_a_process_reads_its_own_stat():
    stat = read_stat(os.getpid())
    assert stat is not None and stat.ppid == os.getppid()
    assert stat.rss_bytes > 0 and stat.cpu_ticks >= 0
    assert read_stat(2**22 + 12345) is None


def test_the_cpu_time_of_a_tree_counts_its_children():
    parent = subprocess.Popen([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True)
    child = None
    try:
        child = int(parent.stdout.readline())
        roots = {"server": parent.pid}
        before = cpu_seconds(roots)["server"]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            readings = read_trees(roots)["server"]
            if readings.cpu_seconds - before >= 0.4:
                break
            time.sleep(0.1)
        assert readings.cpu_seconds - before >= 0.4
        assert readings.processes == 2
        assert readings.rss_bytes > read_trees({"child": child})["child"].rss_bytes
    finally:
        if child is not None:
            os.kill(child, 9)
        parent.kill()
        parent.wait()


def test_the_sampler_keeps_the_peak_per_tree_until_reset():
    with PeakSampler({"me": os.getpid()}, interval=0.05) as sampler:
        time.sleep(0.2)
        first = sampler.peaks_mb()["me"]
        assert first > 0 and sampler.samples >= 2
        sampler.reset()
        assert sampler.samples == 1
    assert sampler.peaks_mb()["me"] > 0

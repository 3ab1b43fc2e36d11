"""Stops a fuzzed server that takes more memory than a limit, before the machine runs out.

A message that makes a server allocate tens of gigabytes would otherwise end with the
kernel killing processes, perhaps not only the fuzzed ones. The guard polls the resident
memory of each process (with its children) and kills one over the limit; what it did is
a finding of the run.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

DEFAULT_LIMIT_MB = int(os.environ.get("FUZZ_MEMORY_LIMIT_MB", "6000"))


def resident_mb(pid: int) -> int:
    """Resident memory of a process and its direct children, in MB (0 when gone)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    with contextlib.suppress(OSError):
        pids += [int(child) for child in children.read_text().split()]
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total // 1024


class MemoryGuard:
    def __init__(
        self, processes: dict[str, subprocess.Popen], limit_mb: int = DEFAULT_LIMIT_MB
    ) -> None:
        self.processes = processes
        self.limit_mb = limit_mb
        self.findings: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="fuzz-memory-guard", daemon=True)

    def start(self) -> MemoryGuard:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            for name, process in list(self.processes.items()):
                if process.poll() is not None:
                    continue
                used = resident_mb(process.pid)
                if used > self.limit_mb:
                    self.kill(process)
                    self.findings.append(
                        f"{name} took {used} MB of memory (limit {self.limit_mb} MB) at "
                        f"{time.strftime('%H:%M:%S')}: stopped by the fuzz memory guard"
                    )

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL to the process's group (each server runs in a session of its own)."""
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()

"""Starting, watching and stopping the assistant's processes."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import signal
import subprocess  # nosec B404  # runs our own commands with fixed arguments, without a shell
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.logs.files import open_private_log
from bot.ops.progress import Progress, train_with_progress
from bot.settings import PROJECT_ROOT

TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "bot/rasa_plugins")


def fingerprint(
    root: Path = PROJECT_ROOT, inputs: tuple[str, ...] = TRAINING_INPUTS, config: str | None = None
) -> str:
    """A hash of everything a trained model depends on."""
    digest = hashlib.sha256()
    paths: list[Path] = []
    for name in inputs:
        path = root / name
        if path.is_dir():
            paths += sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )
        elif path.exists():
            paths.append(path)
    if config:
        paths.append(Path(config))
    for path in paths:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def python() -> str:
    return sys.executable


def rasa_command(*args: str) -> list[str]:
    return [python(), "-m", "rasa", *args]


def sandbox_command() -> list[str]:
    """The agency sandbox (bot/sandbox); its port comes from AGENCY_SANDBOX_PORT."""
    return [python(), "-m", "bot.sandbox"]


def action_server_command(port: int | None = None) -> list[str]:
    """The action server (bot/ops/action_server.py); without `port`, ACTION_SERVER_PORT."""
    return [python(), "-m", "bot.ops.action_server", *(["--port", str(port)] if port else [])]


def console_command() -> list[str]:
    """The counsellor console; its port comes from CONSOLE_PORT."""
    return [python(), "-m", "bot.console", "serve"]


def rasa_server_command(
    model: Path, port: int, endpoints: str | Path = "endpoints.yml"
) -> list[str]:
    """The Rasa server as this project runs it (bot/ops/rasa_server.py): the API token
    and the bind address come from the environment, never from this command line."""
    return [
        python(),
        "-m",
        "bot.ops.rasa_server",
        "--model",
        str(model),
        "--port",
        str(port),
        "--endpoints",
        str(endpoints),
    ]


def train_model(
    out_dir: Path,
    name: str,
    config: str = "config.yml",
    root: Path = PROJECT_ROOT,
    force: bool = False,
    extra_env: dict[str, str] | None = None,
    log_file: Path | None = None,
    progress: Progress | None = None,
) -> Path:
    """Train unless a model for the same inputs exists; return the model path.

    With `log_file` (`make run`, `make train`), Rasa's whole output (its logs, the
    libraries' warnings, the progress bars) goes to that file and the screen gets one
    progress line (bot/ops/progress.py); a failure raises TrainingFailed. Without it,
    `rasa train --quiet` writes to this process's own output (the tests' model).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    model = out_dir / f"{name}.tar.gz"
    stamp = out_dir / f".fingerprint-{name}"
    current = fingerprint(root, config=str(root / config))
    up_to_date = model.exists() and stamp.exists() and stamp.read_text().strip() == current
    if up_to_date and not force:
        print(f"==> Model {model.name} is up to date")
        return model
    env = {**os.environ, **(extra_env or {})}
    command = rasa_command(
        "train",
        "--config",
        config,
        "--domain",
        "domain.yml",
        "--data",
        "data",
        "--out",
        str(out_dir),
        "--fixed-model-name",
        name,
        "--force",
    )
    if log_file is not None:
        progress = progress or Progress()
        progress.line(
            f"==> Training {name} with {config} (the data or configuration changed);"
            f" Rasa's output: {_shown(log_file)}"
        )
        # --verbose: the INFO lines that name each component, and the progress bars.
        train_with_progress(
            [*command, "--verbose"],
            log_file,
            progress,
            cwd=root,
            env=env,
            preexec_fn=_die_with_parent,
        )
        stamp.write_text(current)
        return model
    print(f"==> Training {name} with {config} (the data or configuration changed)")
    started = time.monotonic()
    # bandit B603: Fixed arguments, no shell.
    subprocess.run([*command, "--quiet"], cwd=root, check=True, env=env)  # nosec B603
    stamp.write_text(current)
    print(f"==> Trained in {time.monotonic() - started:.0f} s")
    return model


def _shown(path: Path) -> Path:
    """`path` relative to the project when it is inside it."""
    return path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
try:  # looked up here, not in the child: between fork and exec only the call runs
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: ProcessGroup.stop() still applies
    _prctl = None


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to send SIGTERM when the parent dies, so a
    killed `make run` or test session never leaves servers holding the ports. (Linux
    ties this to the parent *thread*: start children from a thread that lives on.)"""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class ProcessStopped(RuntimeError):
    """A process of a ProcessGroup has stopped by itself; the message names its log."""


@dataclass
class ProcessGroup:
    """Child processes started together and stopped together.

    Each child leads its own process group (so Ctrl-C reaches only `make run`, which
    then stops them in order), and stopping signals the whole group, so that whatever
    a server started itself goes too.
    """

    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> None:
        # 0600, new or not: whatever the process writes may hold what a citizen typed.
        with open_private_log(self.log_dir / f"{name}.log") as log:  # the child keeps a copy
            # bandit B603: Fixed arguments, no shell.
            self.processes[name] = subprocess.Popen(  # nosec B603
                command,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **(env or {})},
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise ProcessStopped(
                    f"{name} stopped (exit code {process.returncode}); "
                    f"see {self.log_dir / (name + '.log')}"
                )

    def stop(self, timeout: float = 15) -> None:
        for process in self.processes.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # Also after a clean exit: a grandchild may have outlived its parent.
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(process.pid, signum)


def wait_for_http(
    url: str,
    group: ProcessGroup | None = None,
    timeout: float = 240,
    headers: dict[str, str] | None = None,
    on_poll: Callable[[], None] | None = None,
) -> None:
    """Wait until `url` answers 2xx (checking that the processes are still alive);
    `on_poll` is called before each try (a progress line's clock, say)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_poll is not None:
            on_poll()
        if group:
            group.check_alive()
        try:
            request = urllib.request.Request(url, headers=headers or {})
            # bandit B310: An http:// URL of our own server on this machine.
            with urllib.request.urlopen(request, timeout=2) as answer:  # nosec B310
                if 200 <= answer.status < 300:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")

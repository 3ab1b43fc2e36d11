"""The bare Rasa assistant the bench compares against, made once per machine.

`rasa init --no-prompt --init-dir <dir>` creates Rasa's starter project (the "moodbot":
a minimal domain, the default pipeline and policies) and trains its model. The project
and its model are kept in ~/.cache/jobseeker-assistant/bare-rasa-<rasa version>/ (or under
$ASSISTANT_TEST_CACHE, the test model's cache) so that it trains once per machine; the
wall time of that `rasa init` (Python start-up, scaffold, training) is recorded the first
time in `training.json` beside the project's files.

The only change to the starter project: its credentials.yml gets the socket.io channel
(the starter has it commented out), so that both assistants are reached over REST and
socket.io alike. `session_persistence: false`: Rasa 3.6's persistent sessions are broken
(`enter_room` not awaited, RasaHQ/rasa#13027); the socket is then the conversation.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess  # nosec B404  # runs `rasa init` with fixed arguments, no shell
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from rasa.version import __version__ as RASA_VERSION

TRAINING_RECORD = "training.json"
SOCKETIO_CREDENTIALS = """
# Added by the bench (bot/ops/bench/bare.py): the same channels as the project.
socketio:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: false
"""


def cache_root() -> Path:
    return Path(
        os.environ.get("ASSISTANT_TEST_CACHE", Path.home() / ".cache" / "jobseeker-assistant")
    )


@dataclass(frozen=True)
class BareAssistant:
    project: Path
    model: Path
    training: dict  # training.json: seconds, trained_at, load_average_before...


def project_dir(root: Path | None = None) -> Path:
    return (root or cache_root()) / f"bare-rasa-{RASA_VERSION}"


def _model_in(project: Path) -> Path | None:
    models = sorted((project / "models").glob("*.tar.gz"))
    return models[-1] if models else None


def enable_socketio(credentials: Path) -> None:
    """Add the socket.io channel to the starter's credentials.yml (once)."""
    text = credentials.read_text()
    if not any(line.startswith("socketio:") for line in text.splitlines()):
        credentials.write_text(text.rstrip("\n") + "\n" + SOCKETIO_CREDENTIALS)


def _read(project: Path) -> BareAssistant | None:
    model = _model_in(project)
    if model is None or not (project / "credentials.yml").exists():
        return None
    record_path = project / TRAINING_RECORD
    record = json.loads(record_path.read_text()) if record_path.exists() else {}
    enable_socketio(project / "credentials.yml")
    return BareAssistant(project, model, record)


def ensure_bare_assistant(
    root: Path | None = None, log=print, retrain: bool = False
) -> BareAssistant:
    """The cached bare assistant; made (and trained, about 75 s) when missing or when
    `retrain` (to time its training again on a quiet machine)."""
    project = project_dir(root)
    found = None if retrain else _read(project)
    if found:
        return found
    project.parent.mkdir(parents=True, exist_ok=True)
    # One `rasa init` at a time: another bench or test waits for the first one's model.
    with (project.parent / f"{project.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = None if retrain else _read(project)
        if found:
            return found
        building = project.parent / f"{project.name}.building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        log(f"==> Creating the bare Rasa {RASA_VERSION} assistant in {project} (rasa init)")
        load_before = list(os.getloadavg())
        started = time.monotonic()
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        env.pop("PYTHONPATH", None)  # nothing of this project on its path
        with (building / "rasa-init.log").open("w") as output:
            # bandit B603: Fixed arguments, no shell.
            subprocess.run(  # nosec B603
                [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", "."],
                cwd=building,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                check=True,
            )
        seconds = time.monotonic() - started
        if _model_in(building) is None:
            raise RuntimeError(f"rasa init made no model; see {building / 'rasa-init.log'}")
        record = {
            "seconds": round(seconds, 1),
            "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "rasa_version": RASA_VERSION,
            "what": "wall time of `rasa init --no-prompt` (start-up, scaffold, training)",
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
        }
        (building / TRAINING_RECORD).write_text(json.dumps(record, indent=2) + "\n")
        shutil.rmtree(project, ignore_errors=True)
        building.rename(project)
        log(f"==> Bare assistant trained in {seconds:.0f} s")
    found = _read(project)
    if found is None:
        raise RuntimeError(f"the bare assistant in {project} has no model")
    return found

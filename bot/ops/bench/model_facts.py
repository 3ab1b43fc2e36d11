"""Model size and training time, for both systems.

- Size: the model file (.tar.gz) in MB (2^20 bytes).
- Training time of this project's model, first found of:
  1. `--train`: the bench times `python -m bot.ops.cli train --force` itself (wall time,
     about 30 minutes for the full model on 2 cores; writes models/assistant.tar.gz);
  2. a duration recorded in the model's own metadata.json (Rasa 3.6 records only when it
     was trained, so this is for a future training step that adds it);
  3. the previous bench report (bench.json in the same directory), when it measured the
     same model file (same size and modification time) with `--train`;
  otherwise none, reported as not recorded.
- Training time of the bare assistant: bare.py's record of its `rasa init`.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404  # runs the project's own training command, no shell
import sys
import tarfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.settings import PROJECT_ROOT

MB = 1024 * 1024
METADATA_DURATION_KEYS = ("training_seconds", "training_time_seconds", "train_seconds")
TRAIN_COMMAND = [sys.executable, "-m", "bot.ops.cli", "train", "--force"]


def size_mb(model: Path) -> float:
    return round(model.stat().st_size / MB, 1)


def identity(model: Path) -> dict[str, Any]:
    """What tells one model file from another without reading it."""
    stat = model.stat()
    return {"path": str(model), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def metadata(model: Path) -> dict[str, Any]:
    """The model's metadata.json (empty when it cannot be read)."""
    try:
        with tarfile.open(model, "r:gz") as archive:
            for member in archive:
                if member.isfile() and Path(member.name).name == "metadata.json":
                    handle = archive.extractfile(member)
                    return json.loads(handle.read()) if handle else {}
    except (OSError, tarfile.TarError, ValueError):
        pass
    return {}


def recorded_in_metadata(model: Path) -> float | None:
    found = metadata(model)
    for key in METADATA_DURATION_KEYS:
        if isinstance(found.get(key), int | float):
            return float(found[key])
    return None


def recorded_in_report(report: Path, model: Path) -> dict[str, Any] | None:
    """The training measured by an earlier bench run of the same model file."""
    try:
        earlier = json.loads(report.read_text())["systems"]["ours"]["training"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if earlier.get("seconds") and earlier.get("model") == identity(model):
        return earlier
    return None


def time_training(log=print) -> float:
    """Train the full model from scratch (`make train`, forced) and time it."""
    log(f"==> Timing the full model's training: {' '.join(TRAIN_COMMAND[1:])}")
    started = time.monotonic()
    # bandit B603: Fixed arguments, no shell.
    subprocess.run(TRAIN_COMMAND, cwd=PROJECT_ROOT, check=True)  # nosec B603
    return time.monotonic() - started


def our_training(model: Path, report: Path, measured: float | None) -> dict[str, Any]:
    """The training-time figure of this project and where it comes from."""
    if measured is not None:
        return {
            "seconds": round(measured, 1),
            "source": "measured by this run (--train)",
            "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "model": identity(model),
        }
    in_metadata = recorded_in_metadata(model)
    if in_metadata is not None:
        return {"seconds": in_metadata, "source": "model metadata", "model": identity(model)}
    earlier = recorded_in_report(report, model)
    if earlier is not None:
        source = str(earlier.get("source"))
        if not source.startswith("earlier bench run"):
            source = f"earlier bench run ({source})"
        return {**earlier, "source": source}
    return {
        "seconds": None,
        "source": "not recorded (run the bench with --train to measure it)",
        "model": identity(model),
    }


def bare_training(record: dict[str, Any]) -> dict[str, Any]:
    """The bare assistant's training time from its cache record (bare.py)."""
    if not record.get("seconds"):
        return {"seconds": None, "source": "not recorded (the cached project predates it)"}
    return {
        "seconds": record["seconds"],
        "source": "rasa init --no-prompt, timed when the cache was made (--retrain-bare: again)",
        "measured_at": record.get("trained_at"),
        "load_average_before": record.get("load_average_before"),
        "cpus": record.get("cpus"),
    }

"""The command line of `make bench` (`python -m bot.ops.bench`)."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bot.ops.bench import bare as bare_assistant
from bot.ops.bench import model_facts
from bot.ops.bench.plot import plot
from bot.ops.bench.report import table, write_json
from bot.ops.bench.runner import LevelSettings, SystemBench, scaling
from bot.ops.bench.scripts import BareScenario, OurScenario
from bot.ops.bench.servers import RunningSystem, start_bare, start_ours
from bot.settings import PROJECT_ROOT

FULL_MODEL = PROJECT_ROOT / "models" / "assistant.tar.gz"
REPORTS_DIR = PROJECT_ROOT / "models" / "reports"
SYSTEMS = ("ours", "bare")
FULL = {"levels": [1, 10, 50, 100], "conversations": None, "level_seconds": 180.0}
QUICK = {"levels": [1, 10], "conversations": 3, "level_seconds": 60.0}


def parser() -> argparse.ArgumentParser:
    from bot.ops.bench import __doc__ as description

    p = argparse.ArgumentParser(
        prog="python -m bot.ops.bench",
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="levels 1 and 10, 3 conversations per level (10 at level 10), "
        "no 1-against-2; what the CI smoke test runs",
    )
    p.add_argument(
        "--model",
        type=Path,
        default=None,
        help="this project's model; default "
        "models/assistant.tar.gz, with --quick the cached test model",
    )
    p.add_argument(
        "--levels",
        type=_levels,
        default=None,
        help="concurrent conversations per level, e.g. 1,10,50,100",
    )
    p.add_argument(
        "--conversations",
        type=int,
        default=None,
        help="conversations per level (at least the level's concurrency); default max(2N, 20)",
    )
    p.add_argument(
        "--level-seconds",
        type=float,
        default=None,
        help="no new conversation after this many seconds of a level (default 180, quick 60)",
    )
    p.add_argument("--turn-timeout", type=float, default=60.0, help="seconds one turn may take")
    p.add_argument(
        "--socketio-share",
        type=float,
        default=0.2,
        help="share of conversations over socket.io (0-1)",
    )
    p.add_argument("--systems", type=_systems, default=list(SYSTEMS), help="ours,bare")
    p.add_argument(
        "--scaling-level",
        type=int,
        default=50,
        help="1 against 2 Rasa instances at this concurrency; 0 skips it",
    )
    p.add_argument(
        "--train",
        action="store_true",
        help="time `python -m bot.ops.cli train "
        "--force` first (about 30 min; the default model only)",
    )
    p.add_argument(
        "--retrain-bare",
        action="store_true",
        help="make the cached bare assistant again and time its training anew",
    )
    p.add_argument("--seed", type=int, default=2026, help="which citizens and phrasings")
    p.add_argument("--out-dir", type=Path, default=REPORTS_DIR, help="bench.json, bench.png")
    p.add_argument("--keep-workdir", action="store_true", help="keep the servers' logs")
    return p


def _levels(text: str) -> list[int]:
    levels = sorted({int(part) for part in text.split(",") if part.strip()})
    if not levels or levels[0] < 1:
        raise argparse.ArgumentTypeError("levels are positive integers, e.g. 1,10,50")
    return levels


def _systems(text: str) -> list[str]:
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    if not chosen or set(chosen) - set(SYSTEMS):
        raise argparse.ArgumentTypeError("systems: ours, bare or both (ours,bare)")
    return [name for name in SYSTEMS if name in chosen]


def _log(text: str) -> None:
    print(text, flush=True)


def _default_model(quick: bool) -> Path:
    if not quick:
        return FULL_MODEL
    # The test tree caches the small test model (trained first when missing, ~10 min).
    sys.path.insert(0, str(PROJECT_ROOT))
    from tests.support import cached_test_model

    return cached_test_model()


def _machine() -> dict[str, Any]:
    from rasa.version import __version__ as rasa_version

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "rasa_version": rasa_version,
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def _bench_system(
    system: RunningSystem, scenario, settings: LevelSettings, levels: list[int], scaling_at: int
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "startup_to_first_answer_seconds": round(system.startup_seconds, 1),
        "processes": list(system.servers),
    }
    with SystemBench(system, scenario, settings, _log) as bench:
        bench.warm_up()
        result["idle_rss_mb"] = bench.idle_rss_mb()
        result["warmup_errors"] = bench.warmup_errors
        result["levels"] = [bench.level(concurrency) for concurrency in levels]
        if scaling_at:
            result["scaling"] = scaling(bench, scaling_at, result["levels"])
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    mode = QUICK if args.quick else FULL
    levels = args.levels or mode["levels"]
    settings = LevelSettings(
        conversations=args.conversations if args.conversations else mode["conversations"],
        level_seconds=args.level_seconds or mode["level_seconds"],
        turn_timeout=args.turn_timeout,
        socketio_share=min(1.0, max(0.0, args.socketio_share)),
    )
    scaling_at = 0 if args.quick else args.scaling_level
    report: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": _machine(),
        "options": {
            "levels": levels,
            "conversations_per_level": settings.conversations or "max(2N, 20)",
            "level_seconds": settings.level_seconds,
            "turn_timeout": settings.turn_timeout,
            "socketio_share": settings.socketio_share,
            "seed": args.seed,
            "scaling_level": scaling_at or None,
        },
        "systems": {},
    }
    trained = None
    if "ours" in args.systems:
        model = (args.model or _default_model(args.quick)).resolve()
        if args.train:
            if model != FULL_MODEL.resolve():
                raise SystemExit("--train times the full model's training: drop --model")
            trained = model_facts.time_training(_log)
        if not model.exists():
            raise SystemExit(f"No model at {model}: run `make train` first (or use --model).")
    bare = (
        bare_assistant.ensure_bare_assistant(log=_log, retrain=args.retrain_bare)
        if "bare" in args.systems
        else None
    )

    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        if "ours" in args.systems:
            _log(f"==> ours: starting the sandbox, action server and Rasa ({model.name})")
            system = start_ours(workdir / "ours", model)
            try:
                _log(f"    first answer {system.startup_seconds:.1f} s after Rasa started")
                ours = _bench_system(system, OurScenario(args.seed), settings, levels, scaling_at)
            finally:
                system.stop()
            report["scaling"] = ours.pop("scaling", None) or {
                "skipped": "quick mode" if args.quick else "not asked (--scaling-level 0)"
            }
            report["systems"]["ours"] = {
                "label": "this project (sandbox + action server + Rasa)",
                "model": str(model),
                "model_size_mb": model_facts.size_mb(model),
                "training": model_facts.our_training(model, args.out_dir / "bench.json", trained),
                **ours,
            }
        if bare is not None:
            _log(f"==> bare: starting rasa run ({bare.model.name})")
            system = start_bare(workdir / "bare", bare.project, bare.model)
            try:
                _log(f"    first answer {system.startup_seconds:.1f} s after Rasa started")
                result = _bench_system(system, BareScenario(args.seed), settings, levels, 0)
            finally:
                system.stop()
            report["systems"]["bare"] = {
                "label": "bare Rasa (rasa init, default pipeline)",
                "model": str(bare.model),
                "model_size_mb": model_facts.size_mb(bare.model),
                "training": model_facts.bare_training(bare.training),
                **result,
            }
    finally:
        if args.keep_workdir:
            _log(f"==> Logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    report["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    report["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return report


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    started = time.monotonic()
    report = run(args)
    report["duration_seconds"] = round(time.monotonic() - started, 1)
    json_path = args.out_dir / "bench.json"
    write_json(report, json_path)
    png_path = plot(report, args.out_dir / "bench.png")
    print()
    print(table(report))
    print(f"\nWritten: {json_path}, {png_path} ({report['duration_seconds']:.0f} s)")
    return 0

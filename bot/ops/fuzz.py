"""`make fuzz`: a long fuzz run of what a stranger can reach, with a summary per endpoint.

    python -m bot.ops.fuzz --cases 10000 [--endpoint rest] [--seed N] [--case I]

Starts the whole assistant on free loopback ports (tests.support.start_stack: sandbox,
action server, Rasa with the Telegram channel on against a fake Bot API, console), sends
the cases of each endpoint, checks that every server still answers and a real
conversation still works, and prints a summary per endpoint. `--case I` replays one case
(with the seed and endpoint of a failure) and prints what was sent and answered.

A developer's tool: it uses the test tree (tests/fuzz/, the fake Bot API, the cached
test model, trained first when missing) and sends traffic to 127.0.0.1 only. Exit status 1
when a case failed or a server did not survive. Failing cases are written to
`--report-dir` (default var/fuzz/<seed>/) as JSON with the request as sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
from pathlib import Path

from bot.settings import PROJECT_ROOT

ENDPOINTS = ("rest", "socketio", "telegram", "console")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot.ops.fuzz",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--cases", type=int, default=1000, help="cases per endpoint")
    parser.add_argument(
        "--endpoint", action="append", choices=ENDPOINTS, help="repeat for several; default all"
    )
    parser.add_argument("--seed", type=int, default=None, help="default: a random one, printed")
    parser.add_argument("--case", type=int, default=None, help="replay this one case only")
    parser.add_argument("--bound", type=float, default=15.0, help="seconds one answer may take")
    parser.add_argument("--concurrency", type=int, default=4, help="cases at once per endpoint")
    parser.add_argument("--model", type=Path, default=None, help="default: the test model")
    parser.add_argument("--report-dir", type=Path, default=None)
    return parser


def _progress(endpoint: str, cases: int):
    """A line every 500 cases, so that a long run shows it is alive."""
    done = 0

    def count(_outcome) -> None:
        nonlocal done
        done += 1
        if done % 500 == 0:
            print(f"  {endpoint}: {done}/{cases}", flush=True)

    return count


async def _run_all(args: argparse.Namespace, running, endpoints: list[str]) -> bool:
    from tests.fuzz.runner import run
    from tests.fuzz.targets import make_target

    report_dir = args.report_dir or PROJECT_ROOT / "var" / "fuzz" / str(args.seed)
    all_ok = True
    for endpoint in endpoints:
        if running.ensure_running():
            print("Rasa was started again: the run of an earlier endpoint had stopped it")
        target = make_target(endpoint, running, args.seed, args.bound)
        if args.case is not None:
            outcome = await target.case(args.case)
            print(json.dumps(outcome.__dict__, indent=2, default=repr, ensure_ascii=False))
            all_ok = all_ok and not outcome.failed
            continue
        print(f"fuzz {endpoint}: seed {args.seed}, {args.cases} cases", flush=True)
        report = await run(
            target,
            range(args.cases),
            args.seed,
            running.check_alive,
            concurrency=args.concurrency,
            progress=_progress(endpoint, args.cases),
        )
        print(report.summary(), flush=True)
        for path in report.write_failures(report_dir):
            print(f"  written: {path}")
        all_ok = all_ok and report.ok
    return all_ok


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 2**31)
    endpoints = args.endpoint or list(ENDPOINTS)
    # The test tree holds the cases, the fake Bot API and the test model's cache.
    sys.path.insert(0, str(PROJECT_ROOT))
    from tests.fuzz.stack import fuzz_stack
    from tests.support import cached_test_model

    model = args.model or cached_test_model()
    print(f"fuzz: seed {args.seed}, endpoints {', '.join(endpoints)}, model {model}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="fuzz-") as workdir,
        fuzz_stack(Path(workdir), model) as running,
    ):
        ok = asyncio.run(_run_all(args, running, endpoints))
    print(f"fuzz: {'all endpoints survived' if ok else 'FAILURES'} (seed {args.seed})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

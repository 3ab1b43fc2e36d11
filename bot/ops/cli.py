"""The project's command line: `python -m bot.ops.cli run|train|eval|retention`.

`make run` = `python -m bot.ops.cli run`: migrate, train when needed, start the agency
sandbox, the action server and the Rasa server, and print where to talk to it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import time
from pathlib import Path

from bot.db import make_engine, make_session_factory
from bot.logs.files import PrivateFileHandler
from bot.logs.masking import MaskingFilter
from bot.migrations import upgrade_database
from bot.ops.compare import evaluate
from bot.ops.local_setup import demo_counsellor, rasa_api_token
from bot.ops.out_of_scope_eval import evaluate_out_of_scope
from bot.ops.processes import (
    ProcessGroup,
    ProcessStopped,
    action_server_command,
    console_command,
    rasa_server_command,
    sandbox_command,
    train_model,
    wait_for_http,
)
from bot.ops.progress import Progress, TrainingFailed
from bot.privacy.retention import apply_retention
from bot.settings import PROJECT_ROOT, load_settings

MODELS_DIR = PROJECT_ROOT / "models"
REPORTS_DIR = MODELS_DIR / "reports"
MODEL_NAME = "assistant"


def cmd_train(args: argparse.Namespace, progress: Progress | None = None) -> Path:
    """Train when needed: Rasa's output in var/logs/train.log, one progress line here."""
    return train_model(
        MODELS_DIR,
        MODEL_NAME,
        force=getattr(args, "force", False),
        log_file=load_settings().var_dir / "logs" / "train.log",
        progress=progress,
    )


def _warnings_to_log(log_file: Path) -> None:
    """This process's Python warnings (a library's FutureWarning, say) go to `log_file`,
    not to the screen. The servers' go to their own logs (bot/logging_setup.py) and the
    training's to var/logs/train.log."""
    logging.captureWarnings(True)
    handler = PrivateFileHandler(log_file, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    warnings_logger = logging.getLogger("py.warnings")
    warnings_logger.addHandler(handler)
    warnings_logger.propagate = False


def _start_server(
    progress: Progress,
    group: ProcessGroup,
    title: str,
    name: str,
    command: list[str],
    *,
    health: str,
    address: str,
    starting: str,
    env: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 240,
) -> None:
    """Start one server and wait for it: '==> Action server ready in 3.1 s  url'."""
    with progress.stage(title, starting=starting, verb="ready") as stage:
        group.start(name, command, env)
        try:
            wait_for_http(health, group, timeout=timeout, headers=headers, on_poll=stage.tick)
        except TimeoutError as error:
            raise ServerNotReady(f"{error}; see {group.log_dir / (name + '.log')}") from None
        stage.note = address


class ServerNotReady(RuntimeError):
    """A server started by `make run` did not answer in time."""


def _sandbox_wanted(settings) -> bool:
    return settings.agency_api_url.rstrip("/") == f"http://127.0.0.1:{settings.sandbox_port}"


def _telegram_mode() -> str:
    """How the Telegram channel runs, read from the same variables as the channel."""
    if not os.environ.get("TELEGRAM_BOT_TOKEN"):
        return "off (set TELEGRAM_BOT_TOKEN to connect a bot; see README)"
    public_url = os.environ.get("TELEGRAM_PUBLIC_URL", "").rstrip("/")
    if public_url:
        return f"webhook {public_url}/webhooks/telegram/webhook"
    return "long polling (no TELEGRAM_PUBLIC_URL)"


def reachable_host(bind_host: str) -> str:
    """Where this machine reaches a server listening on `bind_host`."""
    # bandit B104: Compares with the wildcard addresses; binds nothing.
    if bind_host in ("0.0.0.0", "::", ""):  # nosec B104
        return "127.0.0.1"
    return f"[{bind_host}]" if ":" in bind_host else bind_host


def cmd_run(args: argparse.Namespace) -> None:
    settings = load_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    progress = Progress()
    with progress.stage("Database migrations"):
        upgrade_database(settings.database_url)
    model = cmd_train(args, progress)
    group = ProcessGroup(settings.var_dir / "logs")
    host = reachable_host(settings.bind_host)
    stop_requested = False

    def _stop(*_):
        nonlocal stop_requested
        stop_requested = True

    signal.signal(signal.SIGTERM, _stop)
    try:
        if _sandbox_wanted(settings):
            sandbox = f"http://127.0.0.1:{settings.sandbox_port}"
            _start_server(
                progress,
                group,
                "Agency sandbox",
                "agency-sandbox",
                sandbox_command(),
                health=f"{sandbox}/_sandbox/health",
                address=sandbox,
                starting="Starting the agency sandbox",
            )
        token = rasa_api_token(settings)
        factory = make_session_factory(make_engine(settings.database_url))
        demo_user, demo_password = demo_counsellor(factory, settings.var_dir)
        actions = f"http://{host}:{settings.action_port}"
        _start_server(
            progress,
            group,
            "Action server",
            "action-server",
            action_server_command(),
            health=f"{actions}/health",
            address=actions,
            starting="Starting the action server",
        )
        rasa = f"http://{host}:{settings.rasa_port}"
        _start_server(
            progress,
            group,
            "Rasa server",
            "rasa",
            rasa_server_command(model, settings.rasa_port),
            health=f"{rasa}/status",
            address=rasa,
            starting="Starting the Rasa server (about a minute)",
            headers={"Authorization": f"Bearer {token}"},
            timeout=300,
        )
        console = f"http://{host}:{settings.console_port}"
        _start_server(
            progress,
            group,
            "Counsellor console",
            "console",
            console_command(),
            health=f"{console}/health",
            address=console,
            starting="Starting the counsellor console",
            env={"RASA_API_TOKEN": token, "RASA_URL": rasa},
        )
        port = settings.rasa_port
        login = (
            f"log in as {demo_user} / {demo_password}"
            if demo_password
            else f"log in as {demo_user} (password changed with the CLI)"
        )
        relative_model = model.relative_to(PROJECT_ROOT)
        shell = f"source scripts/bootstrap.sh && rasa shell --model {relative_model}"
        print(
            f"""
The assistant is running.

  Web chat:  http://localhost:{port}/webhooks/webchat/  (demo page; widget.js for agencies)
  Telegram:  {_telegram_mode()}
  Console:   http://localhost:{settings.console_port}/  (counsellors; {login})

  REST:      curl -s localhost:{port}/webhooks/rest/webhook -d '{{"sender":"me","message":"hallo"}}'
  Terminal:  in another terminal: {shell}
  Logs:      {group.log_dir}

Press Ctrl-C to stop.
"""
        )
        while not stop_requested:
            group.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        print("==> Stopping")
        group.stop()


def cmd_eval(args: argparse.Namespace) -> None:
    """Held-out NLU evaluation per language: reports and confusion matrices."""
    model = Path(args.model) if args.model else cmd_train(args)
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    summary = evaluate(model, REPORTS_DIR, plots=not args.no_plot)
    off_topic = evaluate_out_of_scope(model, REPORTS_DIR, plots=not args.no_plot)
    for language, row in off_topic.items():
        summary[language]["out_of_scope_precision"] = row["precision"]
        summary[language]["out_of_scope_recall"] = row["recall"]
        summary[language]["out_of_scope_examples"] = row["examples"]
    (REPORTS_DIR / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print("\nHeld-out NLU evaluation (models/reports/):")
    print(
        f"{'lang':<6}{'intent macro F1':>16}{'accuracy':>10}{'entity F1':>11}"
        f"{'examples':>10}{'OOS precision':>15}{'OOS recall':>12}"
    )
    for language, row in summary.items():
        print(
            f"{language:<6}{row['intent_macro_f1']:>16.3f}{row['intent_accuracy']:>10.3f}"
            f"{row['entity_macro_f1']:>11.3f}{row['examples']:>10}"
            f"{row['out_of_scope_precision']:>15.3f}{row['out_of_scope_recall']:>12.3f}"
        )
    print("Out-of-scope precision/recall curves: models/reports/<lang>/out_of_scope_curve.png")


def cmd_retention(args: argparse.Namespace) -> None:
    """Delete what is older than the retention period; prints counts only."""
    try:
        report = apply_retention(load_settings(), days=args.days, dry_run=args.dry_run)
    except ValueError as error:  # --days 0
        raise SystemExit(f"retention: {error}") from None
    print(report.summary())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.ops.cli", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="train when needed and start everything")
    run.set_defaults(func=cmd_run, force=False)
    train = sub.add_parser("train", help="train the full model when the data changed")
    train.add_argument("--force", action="store_true")
    train.set_defaults(func=cmd_train)
    evaluate = sub.add_parser("eval", help="held-out NLU evaluation per language")
    evaluate.add_argument("--model", default=None)
    evaluate.add_argument("--no-plot", action="store_true")
    evaluate.set_defaults(func=cmd_eval, force=False)
    retention = sub.add_parser("retention", help="delete what is older than RETENTION_DAYS")
    retention.add_argument("--days", type=int, default=None, help="default: RETENTION_DAYS")
    retention.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    retention.set_defaults(func=cmd_retention)
    args = parser.parse_args(argv)
    if args.command in ("run", "train", "eval"):
        _warnings_to_log(load_settings().var_dir / "logs" / "cli.log")
    try:
        args.func(args)
    except (TrainingFailed, ProcessStopped, ServerNotReady) as error:
        raise SystemExit(str(error)) from None
    except KeyboardInterrupt:
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()

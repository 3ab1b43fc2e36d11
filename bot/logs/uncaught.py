"""Uncaught exceptions logged, so masked, instead of printed raw to stderr (which the
process's log file receives): Python's default hooks print the exception's message,
national number and all."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType
from typing import Any

_logger = logging.getLogger("uncaught")
_previous: dict[str, Any] = {}


def _log_uncaught(
    kind: type[BaseException], error: BaseException, traceback: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):  # Ctrl-C: no traceback, as usual
        sys.__excepthook__(kind, error, traceback)
        return
    _logger.critical("uncaught %s", kind.__name__, exc_info=(kind, error, traceback))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "?"
    _logger.critical(
        "uncaught %s in thread %s",
        args.exc_type.__name__,
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )


def log_uncaught_exceptions() -> None:
    """Route uncaught exceptions of the main thread and of other threads to `logging`."""
    if sys.excepthook is not _log_uncaught:
        _previous["sys"] = sys.excepthook
        sys.excepthook = _log_uncaught
    if threading.excepthook is not _log_uncaught_in_thread:
        _previous["threading"] = threading.excepthook
        threading.excepthook = _log_uncaught_in_thread


def restore_previous_hooks() -> None:
    """The hooks that were there before (tests)."""
    if "sys" in _previous:
        sys.excepthook = _previous.pop("sys")
    if "threading" in _previous:
        threading.excepthook = _previous.pop("threading")

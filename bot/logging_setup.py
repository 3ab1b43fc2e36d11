"""The one logging setup of every process (Rasa, action server, console, sandbox), with
personal data and conversation content masked before anything is written.

`configure_logging("rasa", "DEBUG")` at the start of a process's entry point:

- every record of every logger is masked when it is made (bot/logs/masking.py), so the
  handlers Rasa, Sanic or a library add later write masked records too; tracebacks,
  stack traces and exception messages included;
- Rasa's structlog events go through `logging`, their content fields redacted
  (bot/logs/structlog_routing.py);
- uncaught exceptions are logged (masked) rather than printed raw;
- one handler on the root logger writes to stderr (the process's log file under
  `make run`) and, when `log_file` is given, to a file of mode 0600.

The level is `level`, else `LOG_LEVEL`, else INFO; libraries log at
`LOG_LEVEL_LIBRARIES` (WARNING unless set), as with `rasa run`. For `rasa run` started
by hand, `--logging-config-file bot/logs/rasa_logging.yml` sets up the same masking.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from bot.logs.files import PrivateFileHandler
from bot.logs.masking import MaskingFilter, install_masking
from bot.logs.structlog_routing import route_structlog_through_logging
from bot.logs.uncaught import log_uncaught_exceptions
from bot.privacy.personal_data import mask_personal_data

__all__ = [
    "PersonalDataFilter",
    "configure_logging",
    "mask_personal_data",
    "masking_filter",
    "resolve_level",
]

LEVEL_ENV = "LOG_LEVEL"
LIBRARY_LEVEL_ENV = "LOG_LEVEL_LIBRARIES"
DEFAULT_LEVEL = "INFO"
DEFAULT_LIBRARY_LEVEL = "WARNING"
FORMAT = "%(asctime)s {process} %(levelname)s %(name)s: %(message)s"

# Chatty below WARNING, and nothing there an operator of the assistant needs: the
# libraries Rasa quiets itself (rasa.utils.common.configure_library_logging) and more.
LIBRARY_LOGGERS = (
    "asyncio",
    "sanic.root",
    "sanic.error",
    "sanic.access",
    "sanic.server",
    "engineio",
    "engineio.server",  # python-socketio sets these two itself when they have no level
    "socketio",
    "socketio.server",
    "websockets",
    "tensorflow",
    "absl",
    "h5py",
    "matplotlib",
    "PIL",
    "numexpr",
    "apscheduler",
    "urllib3",
    "filelock",
    "multipart",
    "aiosqlite",
    "httpcore",
    "httpx",  # one INFO line per Telegram Bot API call otherwise
    "kafka",
    "aio_pika",
    "aiormq",
)

PersonalDataFilter = MaskingFilter  # the name this filter had before


def resolve_level(
    level: str | int | None, env: str = LEVEL_ENV, default: str = DEFAULT_LEVEL
) -> int:
    """A level number from a name or number, else from `env`, else `default`."""
    chosen = level if level not in (None, "") else os.environ.get(env) or default
    if isinstance(chosen, int):
        return chosen
    number = logging.getLevelName(str(chosen).strip().upper())
    return number if isinstance(number, int) else logging.getLevelName(default)


class _ProcessHandler(logging.StreamHandler):
    """Our handler on the root logger, recognised when the setup runs again."""


class _ProcessFileHandler(PrivateFileHandler):
    """Our file handler on the root logger."""


_OURS = (_ProcessHandler, _ProcessFileHandler)


def masking_filter() -> MaskingFilter:
    """The masking for a logging config file (`()` factory of a filter): installs the
    process-wide part too, since a config file names only filters and handlers."""
    install_masking()
    # The level is not known yet (the file's root level is set after its filters are
    # made): structlog passes everything on, the standard levels decide.
    route_structlog_through_logging(logging.NOTSET)
    log_uncaught_exceptions()
    return MaskingFilter()


def configure_logging(
    process: str = "app",
    level: str | int | None = None,
    *,
    log_file: str | Path | None = None,
) -> None:
    """Set up logging for `process` ("rasa", "action-server", "console", "sandbox");
    calling it again replaces what it set up before."""
    number = resolve_level(level)
    install_masking()
    log_uncaught_exceptions()
    logging.captureWarnings(True)  # warnings reach the log masked too

    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _OURS)]:
        root.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter(FORMAT.format(process=process))
    handlers: list[logging.Handler] = [_ProcessHandler(sys.stderr)]
    if log_file is not None:
        handlers.append(_ProcessFileHandler(Path(log_file), encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(MaskingFilter())
        root.addHandler(handler)
    root.setLevel(number)

    library_level = resolve_level(None, LIBRARY_LEVEL_ENV, DEFAULT_LIBRARY_LEVEL)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(library_level)
    route_structlog_through_logging(number)
    if process == "rasa":
        _configure_rasa(number)


def _configure_rasa(number: int) -> None:
    """What `rasa run` sets besides handlers: its logger's level, and LOG_LEVEL, which Rasa
    reads again in places (the structlog setup, the Sanic workers)."""
    logging.getLogger("rasa").setLevel(number)
    os.environ[LEVEL_ENV] = logging.getLevelName(number)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up noise

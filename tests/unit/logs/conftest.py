"""Each test gets the process's logging back as it found it: these tests install the
record factory, handlers, levels, structlog's configuration and exception hooks."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
import structlog

from bot.logging_setup import LIBRARY_LOGGERS
from bot.logs import masking
from bot.logs.structlog_routing import restore_structlog
from bot.logs.uncaught import restore_previous_hooks

_ENV = ("LOG_LEVEL", "LOG_LEVEL_LIBRARIES", "TF_CPP_MIN_LOG_LEVEL")
_LOGGERS = (*LIBRARY_LOGGERS, "rasa", "telegram", "py.warnings")


@pytest.fixture(autouse=True)
def isolated_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in _LOGGERS}
    factory = logging.getLogRecordFactory()
    secrets = dict(masking._secrets)
    environment = {name: os.environ.get(name) for name in _ENV}
    structlog_was_configured = structlog.is_configured()
    structlog_config = structlog.get_config()
    for name in ("LOG_LEVEL", "LOG_LEVEL_LIBRARIES"):
        os.environ.pop(name, None)
    yield
    for handler in root.handlers[:]:
        if handler not in handlers and type(handler).__module__ != "_pytest.logging":
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)
    logging.setLogRecordFactory(factory)
    masking._secrets.clear()
    masking._secrets.update(secrets)
    for name, value in environment.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    restore_structlog()
    if structlog_was_configured:
        structlog.configure(**structlog_config)
    restore_previous_hooks()
    logging.captureWarnings(False)

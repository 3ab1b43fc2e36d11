"""Log files are readable by their owner only: new ones, old ones, and reopened ones."""

from __future__ import annotations

import logging
import stat
import sys
from pathlib import Path

from bot.logs.files import PrivateFileHandler, open_private_log
from bot.ops.processes import ProcessGroup


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_log_is_created_0600_in_a_0700_folder(tmp_path):
    path = tmp_path / "logs" / "rasa.log"
    with open_private_log(path) as log:
        log.write(b"line\n")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_an_existing_log_becomes_0600_and_keeps_its_lines(tmp_path):
    path = tmp_path / "rasa.log"
    path.write_bytes(b"old\n")
    path.chmod(0o644)
    with open_private_log(path) as log:
        log.write(b"new\n")
    assert mode(path) == 0o600 and path.read_bytes() == b"old\nnew\n"


def test_the_file_handler_is_0600_also_after_reopening(tmp_path):
    path = tmp_path / "app.log"
    handler = PrivateFileHandler(path, encoding="utf-8")
    logger = logging.getLogger("test.files.handler")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("first")
        handler.close()  # what a later logging.config.dictConfig does to every handler
        path.chmod(0o644)
        logger.warning("second")  # FileHandler opens its file again
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert mode(path) == 0o600
    assert path.read_text() == "first\nsecond\n"


def test_process_group_logs_are_0600(tmp_path):
    group = ProcessGroup(tmp_path / "logs")
    existing = tmp_path / "logs" / "second.log"
    existing.parent.mkdir()
    existing.write_text("earlier run\n")
    existing.chmod(0o644)
    try:
        group.start("first", [sys.executable, "-c", "print('hello')"])
        group.start("second", [sys.executable, "-c", "print('again')"])
        for process in group.processes.values():
            process.wait(timeout=30)
    finally:
        group.stop()
    assert mode(tmp_path / "logs" / "first.log") == 0o600
    assert (tmp_path / "logs" / "first.log").read_text() == "hello\n"
    assert mode(existing) == 0o600 and existing.read_text() == "earlier run\nagain\n"

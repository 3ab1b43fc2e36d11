"""Log files readable by their owner only (mode 0600), new or already there."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import BinaryIO

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def private_opener(path: str, flags: int) -> int:
    """An `opener` for `open()`: creates the file 0600 (no moment where it is readable by
    others) and makes an existing one 0600 too."""
    descriptor = os.open(path, flags, PRIVATE_FILE_MODE)
    os.fchmod(descriptor, PRIVATE_FILE_MODE)
    return descriptor


def open_private_log(path: Path) -> BinaryIO:
    """`path` opened for appending bytes (a child process's stdout and stderr), 0600; a
    missing folder is created 0700."""
    path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    return open(path, "ab", opener=private_opener)


class PrivateFileHandler(logging.FileHandler):
    """`logging.FileHandler` whose file is 0600, also when it reopens it."""

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        return self._builtin_open(
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=private_opener,
        )

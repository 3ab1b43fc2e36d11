"""Logging for every process, with personal data masked before anything is written."""

from __future__ import annotations

import logging
import re

_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "<email>"),
    (re.compile(r"(?<!\d)\d{2}[.\- ]?\d{2}[.\- ]?\d{2}[.\- ]?\d{3}[.\- ]?\d{2}(?!\d)"), "<nn>"),
    (re.compile(r"(?<![\w])(?:\+|00)\d[\d ./-]{7,16}\d"), "<phone>"),
    (re.compile(r"(?<!\d)0\d[\d ./-]{7,12}\d(?!\d)"), "<phone>"),
]


def mask_personal_data(text: str) -> str:
    """Replace e-mail addresses, national numbers and phone numbers in `text`."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Masks personal data in every record (message and arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = mask_personal_data(message)
        record.args = ()
        return True


def install_personal_data_filter() -> None:
    """Attach the filter to every handler of the root logger (call after basicConfig)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_personal_data_filter()

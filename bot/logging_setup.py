"""Logging for every process, with personal data masked before anything is written."""

from __future__ import annotations

import logging

from bot.privacy.personal_data import mask_personal_data


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

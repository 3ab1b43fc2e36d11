"""The token is part of every Bot API URL; it must never reach a log file."""

from __future__ import annotations

import logging

# Every logger python-telegram-bot and its HTTP client write to. A logger's filters only
# see the records created on that logger, not those of its children, hence the full list.
_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram",
    "telegram.Bot",
    "telegram.request",
    "telegram.request.BaseRequest",
    "telegram.request.HTTPXRequest",
    "telegram.ext",
    "telegram.ext.Application",
    "telegram.ext.ExtBot",
    "telegram.ext.Updater",
)


class RedactToken(logging.Filter):
    """Replaces the token in a log record by `<telegram-token>`."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        if self.token in message:
            record.msg = message.replace(self.token, "<telegram-token>")
            record.args = ()
        return True


def protect_logs(token: str) -> None:
    for name in _LOGGERS:
        log = logging.getLogger(name)
        if not any(isinstance(f, RedactToken) and f.token == token for f in log.filters):
            log.addFilter(RedactToken(token))
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.level == logging.NOTSET:  # one INFO line per Bot API call otherwise
        httpx_logger.setLevel(logging.WARNING)

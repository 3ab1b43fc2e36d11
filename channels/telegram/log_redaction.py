"""The token is part of every Bot API URL; it must never reach a log file.

The masking of every log record (bot/logs/masking.py) replaces it, in the records of
every logger (python-telegram-bot's, httpx's, and any other that prints a URL).
"""

from __future__ import annotations

import logging

from bot.logs.masking import add_secret


def protect_logs(token: str) -> None:
    add_secret(token, "telegram-token")
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.level == logging.NOTSET:  # one INFO line per Bot API call otherwise
        httpx_logger.setLevel(logging.WARNING)

"""Every log record masked when it is made, whichever logger made it and whoever set up
the handlers that will write it.

Rasa, Sanic, TensorFlow and python-socketio add handlers and formatters of their own,
some after our setup (Sanic's app does a `dictConfig` when it is created; `rasa run` puts
coloredlogs on the root logger). A filter on our handlers would not see what theirs
write. So the masking sits in the log-record factory, which every `Logger` calls for
every record it emits, whenever it was configured:

- the message is formatted once, its arguments first stripped of conversation content
  (content.py), then the known content-carrying lines cut (content.TEXT_RULES), then
  registered secrets and personal data masked; `args` are dropped, so no formatter can
  format the original arguments again;
- an exception is formatted into `exc_text` and masked there, and `exc_info` is dropped:
  formatters use `exc_text` when it is set, and none can print the exception's own message;
- `stack_info` is masked.

`MaskingFilter` does the same for handlers (attached to ours, and usable from a logging
config file) and also masks the string fields a caller added with `extra=`, which are set
on a record only after the factory has run.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from bot.logs.content import redact_arguments, redact_text
from bot.privacy.personal_data import mask_personal_data

_MASKED = "_personal_data_masked"
_STANDARD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", _MASKED}

_secrets: dict[str, str] = {}
_secrets_lock = threading.Lock()
_traceback_formatter = logging.Formatter()


def add_secret(value: str, label: str) -> None:
    """Mask `value` (a bot token, say) as `<label>` in every record from now on."""
    if not value:
        return
    with _secrets_lock:
        _secrets[value] = f"<{label}>"
    install_masking()


def mask_text(text: str) -> str:
    """`text` with registered secrets and personal data masked (secrets first: a token
    holds digit runs that would otherwise be masked in part, and then not found)."""
    for value, label in tuple(_secrets.items()):
        if value in text:
            text = text.replace(value, label)
    return mask_personal_data(text)


def masked_message(record: logging.LogRecord) -> str:
    """The record's message, formatted from content-free arguments and masked."""
    message = str(record.msg)
    if record.args:
        args = redact_arguments(record.name, record.args)
        try:
            message = message % args
        except Exception:  # a broken format string must not lose the record
            message = f"{message} (arguments: {args!r})"
    return mask_text(redact_text(record.name, message))


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask `record` in place (once) and return it."""
    if record.__dict__.get(_MASKED):
        return record
    record.msg = masked_message(record)
    record.args = None
    if record.exc_info:
        if not record.exc_text:
            record.exc_text = _traceback_formatter.formatException(record.exc_info)
        record.exc_info = None
    if record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    record.__dict__[_MASKED] = True
    return record


def mask_extra_fields(record: logging.LogRecord) -> None:
    """Mask the string fields added with `extra=` (Sanic's access log: host, request)."""
    for name, value in list(vars(record).items()):
        if name not in _STANDARD_FIELDS and isinstance(value, str):
            setattr(record, name, mask_text(value))


class MaskingFilter(logging.Filter):
    """A handler filter that masks what the record factory has not (records made before
    `install_masking`, `extra=` fields). It never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        mask_extra_fields(record)
        return True


class _MaskingRecordFactory:
    """Wraps the record factory in place when it is installed."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(self.inner(*args, **kwargs))


_install_lock = threading.Lock()


def install_masking() -> None:
    """Mask every record of this process from now on (idempotent)."""
    with _install_lock:
        current = logging.getLogRecordFactory()
        if not isinstance(current, _MaskingRecordFactory):
            logging.setLogRecordFactory(_MaskingRecordFactory(current))


def uninstall_masking() -> None:
    """Put back the factory that was there before (tests)."""
    with _install_lock:
        current = logging.getLogRecordFactory()
        if isinstance(current, _MaskingRecordFactory):
            logging.setLogRecordFactory(current.inner)

"""Rasa's structlog events: content redacted, then written through `logging`.

Rasa 3.6 logs what it understood and did with structlog (`processor.message.parse`
with the text, `processor.slots.log` with every slot value, `processor.actions.log`
with the events). Left unconfigured, structlog prints every event, DEBUG included,
straight to stdout, past `logging` and its masking; `rasa run` configures it itself,
after any logging config file has been read. Hence two things:

- `route_structlog_through_logging` sends structlog's events to `logging` (so the level
  and the record masking apply), as JSON like Rasa does when not on a terminal;
- every later `structlog.configure(processors=...)` (Rasa's own `configure_structlog`)
  gets `redact_event` first in its chain, so content is gone before any renderer runs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, MutableMapping
from typing import Any

from bot.logs.content import redact_field

try:  # every process of the project has it (Rasa depends on it); a tool may not
    import structlog
except ImportError:  # pragma: no cover - structlog is in constraints.txt
    structlog = None  # type: ignore[assignment]


def redact_event(
    _logger: Any, _method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: every field without conversation content (the event name
    stays; the record masking still applies to the rendered line)."""
    for key, value in list(event_dict.items()):
        if key != "event":
            event_dict[key] = redact_field(key, value)
    return event_dict


def _with_redaction(processors: Iterable[Any]) -> list[Any]:
    """`redact_event` first; after a leading level filter, which spares the redaction of
    events that are dropped anyway."""
    chain = [processor for processor in processors if processor is not redact_event]
    start = 1 if chain and chain[0] is structlog.stdlib.filter_by_level else 0
    return [*chain[:start], redact_event, *chain[start:]]


def _always_redact() -> None:
    """Make `structlog.configure` put `redact_event` first, whoever calls it later."""
    configure = structlog.configure
    if getattr(configure, "redacts_content", False):
        return

    @functools.wraps(configure)
    def configure_with_redaction(processors: Iterable[Any] | None = None, **settings: Any) -> None:
        if processors is not None:
            processors = _with_redaction(processors)
        configure(processors=processors, **settings)

    configure_with_redaction.redacts_content = True  # type: ignore[attr-defined]
    configure_with_redaction.original = configure  # type: ignore[attr-defined]
    structlog.configure = configure_with_redaction


def route_structlog_through_logging(level: int) -> None:
    """structlog events at `level` and above go to the standard logger of their module."""
    if structlog is None:  # pragma: no cover
        return
    _always_redact()
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.processors.add_log_level,
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            structlog.processors.UnicodeDecoder(),
            structlog.processors.JSONRenderer(),
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level),
        context_class=dict,
        cache_logger_on_first_use=True,
    )


def restore_structlog() -> None:
    """Undo `_always_redact` and structlog's configuration (tests)."""
    if structlog is None:  # pragma: no cover
        return
    original = getattr(structlog.configure, "original", None)
    if original is not None:
        structlog.configure = original
    structlog.reset_defaults()

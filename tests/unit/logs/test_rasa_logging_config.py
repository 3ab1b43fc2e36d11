"""bot/logs/rasa_logging.yml: `rasa run --logging-config-file` gets the same masking.

The file is applied in a process of its own, as `rasa run` would: a `dictConfig` closes
every handler of the process it runs in, pytest's own capture included.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bot.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "bot" / "logs" / "rasa_logging.yml"

# What `rasa run --debug --logging-config-file ...` does, in its order (rasa/__main__.py),
# then log lines that carry personal data and conversation content.
RASA_RUN = f"""
import logging
import structlog
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.io import configure_colored_logging
from rasa.utils.log_utils import configure_structlog
from bot.logs.masking import MaskingFilter

configure_logging_and_warnings(logging.DEBUG, {str(CONFIG)!r})
[handler] = logging.getLogger().handlers
# Rasa swallows a file it cannot apply: the filter proves this one was applied.
assert any(isinstance(f, MaskingFilter) for f in handler.filters), handler.filters
configure_colored_logging("DEBUG")  # coloredlogs takes over the root's stderr handler
configure_structlog(logging.DEBUG)

logging.getLogger("rasa.core.actions.action").debug(
    "Validating extracted slots: {{'family_name': 'Vercauteren'}}"
)
structlog.get_logger("rasa.core.processor").debug(
    "processor.slots.log", slot_values={{"given_name": "Wannes", "phone": "0470123456"}}
)
try:
    raise ValueError("unknown national number 85.07.30-033.28")
except ValueError:
    logging.getLogger("rasa.server").exception("request failed for jan@example.be")
raise RuntimeError("uncaught, about 85073003328")
"""


def test_rasa_applies_the_file_and_every_later_handler_writes_masked_records():
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", RASA_RUN],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    text = done.stdout + done.stderr
    assert done.returncode == 1, text  # the uncaught RuntimeError, and nothing before it
    assert "Validating extracted slots: <redacted>" in text
    assert "processor.slots.log" in text and '"slot_values": "<redacted>"' in text
    assert "request failed for <email>" in text
    assert "ValueError: unknown national number <national_number>" in text
    assert "RuntimeError: uncaught, about <national_number>" in text
    for value in (
        "Vercauteren",
        "Wannes",
        "0470123456",
        "85.07.30-033.28",
        "85073003328",
        "jan@example.be",
    ):
        assert value not in text, text

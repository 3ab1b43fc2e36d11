"""Session fixtures: the cached test model and the running assistant."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import Stack, cached_test_model, start_stack


@pytest.fixture(scope="session")
def trained_test_model():
    # ASSISTANT_TEST_MODEL: use an already trained model (debugging); else train or reuse cache.
    override = os.environ.get("ASSISTANT_TEST_MODEL")
    return Path(override) if override else cached_test_model()


@pytest.fixture(scope="session")
def stack(trained_test_model, tmp_path_factory) -> Stack:
    running = start_stack(tmp_path_factory.mktemp("stack"), trained_test_model)
    yield running
    running.stop()
    if os.environ.get("SHOW_STACK_LOGS"):
        for log in sorted((running.root / "logs").glob("*.log")):
            print(f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}")

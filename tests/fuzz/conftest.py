"""One stack for the whole fuzz suite (started once, stopped when the package is done).

FUZZ_SEED, FUZZ_CASES and FUZZ_BOUND_SECONDS change the seed (default fixed, so CI is
deterministic), the number of cases per endpoint and the time bound of one answer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fuzz.stack import FuzzStack, fuzz_stack

DEFAULT_SEED = 20261202


@dataclass(frozen=True)
class FuzzSettings:
    seed: int
    cases: int
    bound: float
    report_dir: Path


@pytest.fixture(scope="package")
def fuzz_settings(tmp_path_factory) -> FuzzSettings:
    return FuzzSettings(
        seed=int(os.environ.get("FUZZ_SEED", DEFAULT_SEED)),
        cases=int(os.environ.get("FUZZ_CASES", "200")),
        bound=float(os.environ.get("FUZZ_BOUND_SECONDS", "15")),
        report_dir=tmp_path_factory.mktemp("fuzz-failures"),
    )


@pytest.fixture(scope="package")
def fuzz(trained_test_model, tmp_path_factory) -> Iterator[FuzzStack]:
    with fuzz_stack(tmp_path_factory.mktemp("fuzz-stack"), trained_test_model) as running:
        yield running

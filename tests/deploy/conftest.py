"""Fixtures of the deployment tests: deploy/ loaded once, and broken copies of it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.deploy.checks import REPO, Deployment
from tests.deploy.rendering import SchemaValidator


@pytest.fixture(scope="module")
def deployment() -> Deployment:
    return Deployment.load(REPO / "deploy")


@pytest.fixture(scope="module")
def validator() -> SchemaValidator:
    return SchemaValidator()


@pytest.fixture
def broken_copy(tmp_path: Path) -> Callable[[str, str, str], Deployment]:
    """deploy/ copied to tmp_path with one text replaced in one file (paths relative to
    the repository: deploy/... or .dockerignore); the original files are never touched."""

    made = iter(range(1_000))

    def make(relative: str, old: str, new: str) -> Deployment:
        root = tmp_path / f"copy-{next(made)}"
        copy = root / "deploy"
        shutil.copytree(REPO / "deploy", copy)
        ignore = root / ".dockerignore"
        shutil.copy(REPO / ".dockerignore", ignore)
        target = (
            ignore if relative == ".dockerignore" else copy / Path(relative).relative_to("deploy")
        )
        text = target.read_text()
        assert old in text, f"{old!r} is not in {relative}: update this test"
        target.write_text(text.replace(old, new, 1))
        return Deployment.load(copy, dockerignore=ignore)

    return make

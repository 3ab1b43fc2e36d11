"""Rasa's own tools on the project: `rasa data validate` and `rasa test` stories."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from bot.ops.processes import rasa_command
from bot.settings import PROJECT_ROOT
from bot.understanding.commands import BUTTON_ONLY_INTENTS

pytestmark = pytest.mark.slow


def expected_warning(line: str) -> bool:
    """The one warning we mean: a button-only intent has no typed examples, on purpose
    (typing must never confirm "delete my data"; see bot.understanding.commands)."""
    return any(
        f"The intent '{intent}' is listed in the domain file, but is not found in the NLU" in line
        for intent in BUTTON_ONLY_INTENTS
    )


def test_rasa_data_validate_has_no_errors_and_no_warnings():
    result = subprocess.run(
        rasa_command("data", "validate", "--domain", "domain.yml", "--data", "data"),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    warnings = [
        line for line in output.splitlines() if "UserWarning" in line and not expected_warning(line)
    ]
    assert result.returncode == 0, output[-3000:]
    assert warnings == []


def test_conversation_tests_all_pass(trained_test_model, tmp_path):
    out = tmp_path / "results"
    result = subprocess.run(
        rasa_command(
            "test",
            "core",
            "--model",
            str(trained_test_model),
            "--stories",
            "tests/test_stories.yml",
            "--out",
            str(out),
            "--no-plot",
        ),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    failed_file = out / "failed_test_stories.yml"
    failed = failed_file.read_text() if failed_file.exists() else ""
    failed_stories = re.findall(r"^- story: (.+)$", failed, flags=re.M)
    assert failed_stories == [], failed[-6000:]
    report = json.loads((out / "story_report.json").read_text())["conversation_accuracy"]
    # Rasa merges stories whose dialogue states are identical (the five documents differ
    # only in an unfeaturized slot value): 36 written stories are 24 distinct conversations.
    assert report["total"] >= 24
    assert report["correct"] == report["total"]

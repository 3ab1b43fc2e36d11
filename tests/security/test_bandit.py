"""bandit finds nothing in the code that runs in production (`make audit` runs the same).

A finding is fixed, or marked on its line with `# nosec BXXX: <why it does not apply>`.
Offline and a few seconds long.
"""

from __future__ import annotations

import json
import subprocess  # nosec B404: runs bandit with fixed arguments
import sys

from bot.settings import PROJECT_ROOT

SCANNED = ("bot", "actions", "channels")


def test_bandit_finds_nothing_in_bot_actions_and_channels():
    command = [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", *SCANNED,
               "-f", "json", "-q"]  # fmt: skip
    done = subprocess.run(  # nosec B603: fixed arguments
        command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert "No module named bandit" not in done.stderr, (
        "bandit is not installed: it is pinned in requirements.txt and constraints.txt; "
        "run `source scripts/bootstrap.sh` to install the pinned tools"
    )
    report = json.loads(done.stdout)
    assert not report["errors"], report["errors"]
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} ({r['issue_severity'].lower()}): "
        f"{r['issue_text']}"
        for r in report["results"]
    ]
    assert not findings, "bandit found:\n" + "\n".join(findings)
    assert report["metrics"]["_totals"]["loc"] > 5_000  # it did scan the code

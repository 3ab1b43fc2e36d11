"""`python -m bot.sandbox` serves the sandbox and says where."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request

from bot.sandbox.__main__ import parse_args
from bot.settings import PROJECT_ROOT


def test_defaults_come_from_the_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("AGENCY_SANDBOX_PORT", "9123")
    monkeypatch.setenv("AGENCY_SANDBOX_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("AGENCY_CLIENT_ID", "someone")
    args = parse_args([])
    assert args.port == 9123
    assert args.database_url == f"sqlite:///{tmp_path / 'x.db'}"
    assert args.client_id == "someone"
    assert parse_args(["--port", "0", "--database-url", "sqlite://"]).port == 0


def test_module_serves_and_logs_its_address(tmp_path):
    database = tmp_path / "sandbox" / "agency.db"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.sandbox",
            "--port",
            "0",
            "--database-url",
            f"sqlite:///{database}",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        match = re.search(r"agency sandbox listening on http://127\.0\.0\.1:(\d+)$", line)
        assert match, line
        url = f"http://127.0.0.1:{match.group(1)}/_sandbox/health"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert json.load(response)["status"] == "ok"
        assert database.exists()  # tables created at start
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0

"""`python -m bot.console users ...`: add, list, passwd, deactivate."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from bot.accounts import login
from bot.console import users_cli
from bot.db import make_engine, make_session_factory
from bot.settings import PROJECT_ROOT
from tests.unit.console.helpers import PASSWORD


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ASSISTANT_DATABASE_URL", url)
    return url


def run_cli(monkeypatch, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return users_cli.main(argv)


def cli_factory(url):
    return make_session_factory(make_engine(url))


def test_cli_add_list_passwd_deactivate(cli_db, monkeypatch, capsys):
    add = ["users", "add", "--username", "anna", "--role", "counsellor", "--password-stdin"]
    assert run_cli(monkeypatch, [*add, "--display-name", "Anna"], PASSWORD + "\n") == 0
    assert run_cli(monkeypatch, add, PASSWORD + "\n") == 1  # taken
    assert run_cli(monkeypatch, ["users", "list"]) == 0
    out = capsys.readouterr()
    assert "created anna (counsellor)" in out.out and "anna\tcounsellor\tactive\tAnna" in out.out
    assert "taken" in out.err and PASSWORD not in out.out + out.err
    factory = cli_factory(cli_db)
    assert login.authenticate(factory, "anna", PASSWORD) is not None

    passwd = ["users", "passwd", "--username", "anna", "--password-stdin"]
    assert run_cli(monkeypatch, passwd, "a new long password\n") == 0
    assert login.authenticate(factory, "anna", "a new long password") is not None
    assert run_cli(monkeypatch, ["users", "deactivate", "--username", "anna"]) == 0
    assert run_cli(monkeypatch, ["users", "deactivate", "--username", "nobody"]) == 1
    assert login.authenticate(factory, "anna", "a new long password") is None
    run_cli(monkeypatch, ["users", "list"])
    assert "anna\tcounsellor\tinactive" in capsys.readouterr().out


def test_cli_refuses_weak_passwords(cli_db, monkeypatch, capsys):
    argv = ["users", "add", "--username", "bram", "--role", "trainer", "--password-stdin"]
    assert run_cli(monkeypatch, argv, "short\n") == 1
    assert "at least 10" in capsys.readouterr().err
    assert run_cli(monkeypatch, ["users", "list"]) == 0
    assert "bram" not in capsys.readouterr().out


def test_cli_prompts_twice(cli_db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD, PASSWORD, "different password"])
    monkeypatch.setattr(users_cli.getpass, "getpass", lambda prompt="": next(answers))
    assert users_cli.main(["users", "add", "--username", "cato", "--role", "admin"]) == 0
    assert users_cli.main(["users", "passwd", "--username", "cato"]) == 1  # mismatch


def test_cli_rejects_unknown_roles(cli_db):
    with pytest.raises(SystemExit):
        users_cli.main(["users", "add", "--username", "x1", "--role", "boss"])


def test_python_dash_m_bot_console(tmp_path):
    env = {**os.environ, "ASSISTANT_DATABASE_URL": f"sqlite:///{tmp_path / 'm.db'}"}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    result = subprocess.run(
        [
            *(sys.executable, "-m", "bot.console", "users", "add"),
            *("--username", "dora", "--role", "counsellor", "--password-stdin"),
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "created dora" in result.stdout

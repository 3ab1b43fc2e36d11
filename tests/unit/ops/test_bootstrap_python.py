"""Which Python 3.10 the bootstrap makes .venv with (scripts/find_python.sh).

Every interpreter here is a tiny shell stub on a PATH and HOME of the test's own: a
stub answers the bootstrap's version check for its version and writes each call to a
log. uv is a stub too, installed by the stub python3's venv and pip: no network.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = PROJECT_ROOT / "scripts"
BASH = shutil.which("bash") or "/bin/bash"
# The commands the scripts and the stubs use besides the interpreters.
TOOLS = ("cat", "chmod", "cp", "cut", "dirname", "grep", "mkdir", "rm", "sha256sum", "touch")

DOWNLOADS_NOTICE = "needs access to uv's Python"

PYTHON_STUB = """#!{bash}
echo "$0 $*" >> "{log}"
case "$1" in
  --version) echo "Python {version}" ;;
  -c) [ "{minor}" = "3.10" ]; exit $? ;;
  -m)
    case "$2" in
      venv)
        {venv_behaviour}
        mkdir -p "$3/bin"
        cp "{templates}/venv-python" "$3/bin/python"
        ;;
      pip)
        {pip_behaviour}
        # `pip install --target DIR uv...`: uv's wheel puts its binary in DIR/bin.
        for arg in "$@"; do
          if [ "$previous" = "--target" ]; then
            mkdir -p "$arg/bin" && cp "{templates}/uv" "$arg/bin/uv"
          fi
          previous="$arg"
        done
        ;;
    esac
    ;;
esac
exit 0
"""

# The python of a venv made by a stub: `pip install uv` puts the uv stub next to it.
VENV_PYTHON_STUB = """#!{bash}
echo "$0 $*" >> "{log}"
case "$1 $2 $3" in
  "-m pip install") cp "{templates}/uv" "$(dirname "$0")/uv" ;;
esac
exit 0
"""

UV_STUB = """#!{bash}
echo "uv $*" >> "{log}"
case "$1 $2" in
  "python install")
    {install_behaviour}
    mkdir -p "$(dirname "{managed}")"
    cp "{templates}/managed-python" "{managed}"
    echo "Installed Python 3.10.16"
    ;;
  "python find") [ -x "{managed}" ] && echo "{managed}" ;;
esac
"""


@dataclass
class Machine:
    """A HOME, a PATH and a project folder with only what a test puts there."""

    root: Path

    def __post_init__(self) -> None:
        self.home = self.root / "home"
        self.bin = self.root / "bin"
        self.tools = self.root / "tools"
        self.project = self.root / "project"
        self.templates = self.root / "templates"
        self.log = self.root / "calls.log"
        self.managed = self.home / ".local/share/uv/python/cpython-3.10.16/bin/python3.10"
        for folder in (self.home, self.bin, self.tools, self.project, self.templates):
            folder.mkdir(parents=True)
        self.log.touch()
        for tool in TOOLS:
            found = shutil.which(tool)
            assert found, tool
            (self.tools / tool).symlink_to(found)
        self.uv_behaviour(fails=False)
        self._write(self.templates / "venv-python", VENV_PYTHON_STUB)
        self.python(self.templates / "managed-python", "3.10.16")

    def _write(self, path: Path, text: str, **values: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(bash=BASH, log=self.log, templates=self.templates, **values))
        path.chmod(0o755)
        return path

    def python(
        self, path: Path, version: str, venv_works: bool = True, pip_works: bool = True
    ) -> Path:
        return self._write(
            path,
            PYTHON_STUB,
            version=version,
            minor=".".join(version.split(".")[:2]),
            venv_behaviour="" if venv_works else "echo 'ensurepip is not available' >&2; exit 1",
            pip_behaviour="" if pip_works else "exit 1",
        )

    def uv_behaviour(self, fails: bool) -> None:
        self._write(
            self.templates / "uv",
            UV_STUB,
            managed=str(self.managed),
            install_behaviour="echo 'error: download failed' >&2; exit 1" if fails else "",
        )

    def env(self, **extra: str) -> dict[str, str]:
        return {"PATH": f"{self.bin}:{self.tools}", "HOME": str(self.home), **extra}

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines()

    def choose(self, **extra: str) -> subprocess.CompletedProcess:
        script = (
            "set -euo pipefail\n"
            f"ROOT={self.project}\n"
            f"FIND_PYTHON_SYSTEM_DIRS={self.root / 'system'}\n"
            f"source {SCRIPTS / 'find_python.sh'}\n"
            "choose_python310\n"
        )
        return subprocess.run(
            [BASH, "-c", script],
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=30,
        )


@pytest.fixture()
def machine(tmp_path) -> Machine:
    return Machine(tmp_path)


def test_a_python310_on_the_path_is_used(machine):
    machine.python(machine.bin / "python3.10", "3.10.13")
    machine.python(machine.bin / "python3", "3.12.3")
    result = machine.choose()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(machine.bin / "python3.10")
    assert DOWNLOADS_NOTICE not in result.stderr
    assert not any("venv" in call or call.startswith("uv ") for call in machine.calls())


def test_PYTHON310_wins(machine):
    machine.python(machine.bin / "python3.10", "3.10.13")
    chosen = machine.python(machine.root / "elsewhere" / "python", "3.10.9")
    result = machine.choose(PYTHON310=str(chosen))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(chosen)


def test_a_python310_of_another_version_is_skipped(machine):
    machine.python(machine.bin / "python3.10", "3.11.2")  # a wrong link, say
    pyenv = machine.python(machine.home / ".pyenv/versions/3.10.13/bin/python", "3.10.13")
    result = machine.choose()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(pyenv)
    assert DOWNLOADS_NOTICE not in result.stderr


def test_the_system_folders_come_after_pyenv(machine):
    system = machine.python(machine.root / "system" / "python3.10", "3.10.12")
    result = machine.choose()
    assert result.stdout.strip() == str(system)
    pyenv = machine.python(machine.home / ".pyenv/versions/3.10.4/bin/python", "3.10.4")
    assert machine.choose().stdout.strip() == str(pyenv)


def test_without_python310_uv_is_installed_and_provides_it(machine):
    machine.python(machine.bin / "python3", "3.12.3")
    result = machine.choose()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(machine.managed)  # only the path on stdout
    tools = machine.project / ".tools" / "uv"
    calls = machine.calls()
    assert f"{machine.bin / 'python3'} -m venv {tools}" in calls
    assert any(
        call.startswith(f"{tools / 'bin' / 'python'} -m pip install") and "uv" in call
        for call in calls
    )
    assert "uv python install 3.10" in calls
    finds = [n for n, call in enumerate(calls) if call.startswith("uv python find")]
    assert finds and calls[finds[0]].endswith(" 3.10")
    assert calls.index("uv python install 3.10") < finds[0]


def test_the_uv_fallback_says_it_needs_the_downloads_and_what_to_do_otherwise(machine):
    machine.python(machine.bin / "python3", "3.12.3")
    notice = machine.choose().stderr
    assert DOWNLOADS_NOTICE in notice
    assert "python-build-standalone" in notice
    assert "GitHub" in notice
    assert "install" in notice and "python3.10" in notice
    assert "PYTHON310=" in notice


def test_without_venv_uv_is_installed_with_pip_target(machine):
    # Debian's python3 without python3-venv.
    machine.python(machine.bin / "python3", "3.12.3", venv_works=False)
    result = machine.choose()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(machine.managed)
    target = machine.project / ".tools" / "uv" / "target"
    assert any(f"--target {target}" in call for call in machine.calls())
    assert "uv python install 3.10" in machine.calls()


def test_uv_installed_before_is_used_again(machine):
    machine.python(machine.bin / "python3", "3.12.3")
    assert machine.choose().returncode == 0
    machine.managed.unlink()  # uv's Pythons removed, say
    machine.log.write_text("")
    result = machine.choose()
    assert result.stdout.strip() == str(machine.managed)
    assert not any("pip install" in call for call in machine.calls())
    assert "uv python install 3.10" in machine.calls()


def test_uv_failing_gives_a_clear_message_and_a_failure(machine):
    machine.python(machine.bin / "python3", "3.12.3")
    machine.uv_behaviour(fails=True)
    result = machine.choose()
    assert result.returncode == 3
    assert result.stdout == ""
    assert "uv python install 3.10' failed" in result.stderr
    assert "Python 3.10 is needed" in result.stderr
    assert "PYTHON310=/path/to/python3.10" in result.stderr
    assert "uv python install 3.10" in machine.calls()


def test_no_python3_at_all_gives_a_clear_message_and_a_failure(machine):
    result = machine.choose()
    assert result.returncode == 3
    assert result.stdout == ""
    assert "No python3 either" in result.stderr
    assert "Python 3.10 is needed" in result.stderr
    assert "sudo apt-get install python3.10" in result.stderr


def test_pip_failing_gives_a_clear_message_and_a_failure(machine):
    machine.python(machine.bin / "python3", "3.12.3", venv_works=False, pip_works=False)
    result = machine.choose()
    assert result.returncode == 3
    assert "Installing uv with" in result.stderr
    assert "Python 3.10 is needed" in result.stderr


def _bootstrap_project(machine: Machine) -> Path:
    scripts = machine.project / "scripts"
    scripts.mkdir()
    for name in ("bootstrap.sh", "find_python.sh"):
        shutil.copy(SCRIPTS / name, scripts / name)
    (machine.project / "requirements.txt").write_text("rasa\n")
    (machine.project / "constraints.txt").write_text("rasa==3.6.21\n")
    return scripts / "bootstrap.sh"


def _run_bootstrap(machine: Machine, bootstrap: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BASH, "-c", f"source {bootstrap} && echo PATH=$PATH"],
        # Not this machine's own /usr/bin/python3.10, if it has one.
        env=machine.env(FIND_PYTHON_SYSTEM_DIRS=str(machine.root / "system")),
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_bootstrap_makes_the_venv_with_uvs_python(machine):
    bootstrap = _bootstrap_project(machine)
    machine.python(machine.bin / "python3", "3.12.3")
    result = _run_bootstrap(machine, bootstrap)
    assert result.returncode == 0, result.stderr
    assert f"==> Creating the environment in .venv with {machine.managed}" in result.stdout
    assert f"{machine.managed} -m venv {machine.project / '.venv'}" in machine.calls()
    assert f"PATH={machine.project / '.venv' / 'bin'}:" in result.stdout


def test_the_bootstrap_stops_with_status_3_when_nothing_works(machine):
    bootstrap = _bootstrap_project(machine)
    result = _run_bootstrap(machine, bootstrap)
    assert result.returncode == 3
    assert "Python 3.10 is needed" in result.stderr
    assert not (machine.project / ".venv").exists()


def test_the_bootstrap_uses_a_found_python310_as_before(machine):
    bootstrap = _bootstrap_project(machine)
    machine.python(machine.bin / "python3.10", "3.10.13")
    result = _run_bootstrap(machine, bootstrap)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        f"==> Creating the environment in .venv with {machine.bin / 'python3.10'}\n"
        "==> Installing the pinned dependencies"
    )
    assert DOWNLOADS_NOTICE not in result.stderr

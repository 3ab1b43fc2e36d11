"""The assistant's child processes stop with it, grandchildren included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.ops.processes import ProcessGroup

# A server that starts a helper of its own and reports the helper's pid.
PARENT_WITH_HELPER = (
    "import subprocess, sys, time\n"
    "helper = subprocess.Popen(['sleep', '300'])\n"
    "open(sys.argv[1], 'w').write(str(helper.pid))\n"
    "time.sleep(300)\n"
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; only its parent has not collected it yet.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1][0] != "Z"


def wait_for_file(path: Path, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise TimeoutError(path)


def wait_until_gone(pid: int, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_stop_ends_each_child_and_what_it_started(tmp_path):
    group = ProcessGroup(tmp_path / "logs")
    pid_file = tmp_path / "helper.pid"
    group.start("server", [sys.executable, "-c", PARENT_WITH_HELPER, str(pid_file)])
    helper = int(wait_for_file(pid_file))
    server = group.processes["server"].pid
    assert alive(helper)
    group.stop(timeout=5)
    assert not alive(server)
    assert wait_until_gone(helper)


def test_children_die_when_the_parent_is_killed(tmp_path):
    # The parent (like `make run`) gets SIGKILL and cannot clean up; its children go.
    pid_file = tmp_path / "server.pid"
    parent_code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from bot.ops.processes import ProcessGroup\n"
        f"group = ProcessGroup(Path({str(tmp_path / 'logs')!r}))\n"
        "group.start('server', ['sleep', '300'])\n"
        f"Path({str(pid_file)!r}).write_text(str(group.processes['server'].pid))\n"
        "time.sleep(300)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code], cwd=Path(__file__).parents[3])
    try:
        server = int(wait_for_file(pid_file))
        assert alive(server)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_until_gone(server)
    finally:
        parent.kill()
        parent.wait()


def test_a_servers_warnings_go_to_its_log_not_the_screen(tmp_path, capfd):
    # What `make run` starts writes to var/logs/<name>.log only, warnings included.
    group = ProcessGroup(tmp_path / "logs")
    code = (
        "import warnings\n"
        "warnings.simplefilter('default')\n"
        "warnings.warn('tf.estimator is deprecated', DeprecationWarning)\n"
        "print('serving')\n"
    )
    group.start("server", [sys.executable, "-c", code])
    group.processes["server"].wait(timeout=30)
    group.stop(timeout=5)
    screen = capfd.readouterr()
    assert "Warning" not in screen.out + screen.err
    logged = (tmp_path / "logs" / "server.log").read_text()
    assert "DeprecationWarning: tf.estimator is deprecated" in logged
    assert "serving" in logged

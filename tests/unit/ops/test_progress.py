"""What `make run` and `make train` show: one line per stage with its time, a progress
line that follows the training, and no library warnings on the screen (they stay in the
logs)."""

from __future__ import annotations

import io
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.ops import processes
from bot.ops.cli import ServerNotReady, _start_server
from bot.ops.processes import ProcessGroup, train_model
from bot.ops.progress import (
    LineSplitter,
    Progress,
    TrainingFailed,
    TrainingOutput,
    format_clock,
    format_duration,
    log_tail,
    train_with_progress,
)

HOOKS = "2026-12-02 07:00:01 INFO     rasa.engine.training.hooks  - "
EPOCH_37 = "Epochs:  37%|███▋      | 37/100 [00:10<00:17,  3.59it/s, t_loss=1.23, i_acc=0.9]"
WARNING_WORDS = ("Warning", "warning", "deprecated", "np.bool8")

# A stand-in for `rasa train --verbose`: libraries' warnings at import, Rasa's log lines
# on stderr, a real tqdm bar per model, the success line on stdout; fails on request.
FAKE_TRAINING = textwrap.dedent(
    """
    import logging, sys, time, warnings
    from tqdm import tqdm

    warnings.simplefilter("default")
    warnings.warn("`np.bool8` is a deprecated alias for `np.bool_`", DeprecationWarning)
    warnings.warn("The default dtype will change in a future version", FutureWarning)
    print("/venv/site-packages/sqlalchemy/orm/x.py:1: MovedIn20Warning: declarative_base()",
          file=sys.stderr)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)-8s %(name)s  - %(message)s"
    )
    hooks = logging.getLogger("rasa.engine.training.hooks")
    for component, epochs in (("CountVectorsFeaturizer", 0), ("DIETClassifier", 30),
                              ("TEDPolicy", 20)):
        hooks.info("Starting to train component '%s'.", component)
        if epochs:
            bar = tqdm(range(epochs), desc="Epochs", mininterval=0)
            for epoch in range(epochs):
                time.sleep(0.01)
                bar.update(1)
                bar.set_postfix({"t_loss": 1.0 / (epoch + 1), "i_acc": 0.9})
            bar.close()
        if "fail" in sys.argv:
            raise SystemExit("ValueError: the domain names an unknown intent 'greet_x'")
        hooks.info("Finished training component '%s'.", component)
    print("\\x1b[92mYour Rasa model is trained and saved at 'models/x.tar.gz'.\\x1b[0m")
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- durations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0.43, "0.4 s"), (3.14, "3.1 s"), (42.4, "42 s"), (252, "4 min 12 s"), (3780, "1 h 3 min")],
)
def test_durations_read_like_speech(seconds, shown):
    assert format_duration(seconds) == shown


def test_the_clock_of_a_running_stage():
    assert format_clock(7.9) == "0:07"
    assert format_clock(133) == "2:13"
    assert format_clock(3733) == "1:02:13"


# --- Rasa's training output ---------------------------------------------------------


def test_the_parser_follows_components_and_epochs():
    output = TrainingOutput()
    assert output.describe() == "reading the data"
    assert output.feed(HOOKS + "Starting to train component 'DIETClassifier'.")
    assert output.describe() == "DIETClassifier"
    assert output.feed(EPOCH_37)
    assert output.describe() == "DIETClassifier epoch 37/100"
    assert output.feed(EPOCH_37.replace("37/100", "38/100"))
    assert output.describe() == "DIETClassifier epoch 38/100"
    assert output.feed(HOOKS + "Finished training component 'DIETClassifier'.")
    assert output.describe() == "1 component trained"


def test_the_parser_reads_other_bars_and_restored_components():
    output = TrainingOutput()
    output.feed(HOOKS + "Restored component 'RegexFeaturizer' from cache.")
    output.feed(HOOKS + "Restored component 'LexicalSyntacticFeaturizer' from cache.")
    assert output.describe() == "2 components trained"
    output.feed(HOOKS + "Starting to train component 'TEDPolicy'.")
    output.feed("Processed trackers: 100%|██████████| 120/120 [00:00<00:00, 2.1kit/s, # act=350]")
    assert output.describe() == "TEDPolicy processed trackers 120/120"
    # A bar with no description, and ASCII bars.
    output.feed(" 40%|####      | 4/10 [00:01<00:01,  3.00it/s]")
    assert output.describe() == "TEDPolicy 4/10"


def test_a_new_component_is_a_new_step_an_epoch_is_not():
    output = TrainingOutput()
    output.feed(HOOKS + "Starting to train component 'DIETClassifier'.")
    first = output.key()
    output.feed(EPOCH_37)
    output.feed(HOOKS + "Finished training component 'DIETClassifier'.")
    assert output.key() == first
    output.feed(HOOKS + "Starting to train component 'TEDPolicy'.")
    assert output.key() != first


@pytest.mark.parametrize(
    "line",
    [
        "/srv/.venv/lib/python3.10/site-packages/tensorflow/python/framework/dtypes.py:585: "
        "FutureWarning: In the future `np.object` will be defined as the corresponding NumPy",
        "  np.bool8",
        "2026-12-02 07:00:02 WARNING  rasa.shared.utils.common  - The UnexpecTEDIntentPolicy "
        "is currently experimental",
        "2026-12-02 07:00:03 INFO     rasa.model_training  - Training NLU model...",
        "",
    ],
)
def test_other_lines_change_nothing(line):
    output = TrainingOutput()
    output.feed(HOOKS + "Starting to train component 'DIETClassifier'.")
    output.feed(EPOCH_37)
    assert not output.feed(line)
    assert output.describe() == "DIETClassifier epoch 37/100"


def test_the_saved_model_ends_the_training():
    output = TrainingOutput()
    output.feed(HOOKS + "Starting to train component 'TEDPolicy'.")
    assert output.feed(
        "\x1b[92mYour Rasa model is trained and saved at 'models/assistant.tar.gz'.\x1b[0m"
    )
    assert output.describe() == "model saved"


def test_lines_and_bar_updates_are_told_apart_across_chunks():
    splitter = LineSplitter()
    chunks = [
        "2026 INFO start\nEpo",
        "chs:   1%|  | 1/100\rEpochs:   2%|  | 2/100\r",
        "Epochs: 100%|##| 100/100\r",
        "\nnext line\r",
        "\n\x1b[92mlast without end\x1b[0m",
    ]
    pieces = [piece for chunk in chunks for piece in splitter.feed(chunk)] + splitter.close()
    assert pieces == [
        ("2026 INFO start", True),
        ("Epochs:   1%|  | 1/100", False),
        ("Epochs:   2%|  | 2/100", False),
        ("Epochs: 100%|##| 100/100", True),  # "\r" + "\n" in two chunks: one line end
        ("next line", True),
        ("last without end", True),  # colours dropped
    ]


def test_a_bars_last_state_is_logged_once():
    splitter = LineSplitter()
    pieces = splitter.feed("\rA:  33%|#  | 1/3\rA: 100%|###| 3/3\r\r\nB:  50%|# | 1/2\r")
    assert [text for text, is_line in pieces if is_line] == ["A: 100%|###| 3/3"]
    assert [text for text, is_line in pieces if not is_line] == [
        "A:  33%|#  | 1/3",
        "A: 100%|###| 3/3",
    ]
    assert splitter.close() == [("B:  50%|# | 1/2", True)]  # the output stopped mid-bar


def test_tqdms_newest_state_is_shown_before_the_next_one_ends_it():
    splitter = LineSplitter()
    first = "Epochs:  36%|###6      | 36/100 [00:10<00:17,  3.59it/s, t_loss=1.24]"
    newest = "Epochs:  37%|###7      | 37/100 [00:10<00:17,  3.59it/s, t_loss=1.23]"
    assert splitter.feed("\r" + first) == [(first, False)]
    assert splitter.feed("\r" + newest[:20]) == []  # half an update: wait for the rest
    assert splitter.feed(newest[20:]) == [(newest, False)]
    assert splitter.feed("\n") == [(newest, True)]  # tqdm closes the bar: logged once
    assert splitter.close() == []


# --- the display ----------------------------------------------------------------------


def test_a_terminal_gets_one_line_rewritten_in_place():
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, tty=True, clock=clock)
    with progress.stage("Training", starting="Training  reading the data") as stage:
        clock.now += 133
        stage.update("DIETClassifier epoch 37/100", key=1)
    shown = stream.getvalue()
    assert "\r==> Training  reading the data  (0:00)" in shown
    assert "\r==> Training  DIETClassifier epoch 37/100  (2:13)" in shown
    assert shown.endswith("\n") and shown.count("\n") == 1
    assert shown.rstrip().endswith("\r==> Training done in 2 min 13 s")


def test_a_pipe_gets_plain_lines_at_most_one_per_step_or_interval():
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, tty=False, clock=clock, plain_interval=10)
    with progress.stage("Training", starting="Training  reading the data") as stage:
        stage.update("DIETClassifier", key=1)
        for epoch in range(1, 101):  # 100 epochs in 50 s
            clock.now += 0.5
            stage.update(f"DIETClassifier epoch {epoch}/100", key=1)
            stage.tick()
        stage.update("TEDPolicy", key=2)
    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue()
    assert lines[0] == "==> Training  reading the data"
    assert lines[1] == "==> Training  DIETClassifier  (0:00)"
    assert "==> Training  DIETClassifier epoch 20/100  (0:10)" in lines
    assert lines[-2] == "==> Training  TEDPolicy  (0:50)"
    assert lines[-1] == "==> Training done in 50 s"
    assert len(lines) <= 2 + 50 / 10 + 2


def test_a_failed_or_interrupted_stage_says_so():
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, tty=False, clock=clock)
    with pytest.raises(RuntimeError), progress.stage("Rasa server", verb="ready"):
        clock.now += 12
        raise RuntimeError("rasa stopped")
    with pytest.raises(KeyboardInterrupt), progress.stage("Training"):
        raise KeyboardInterrupt
    assert stream.getvalue().splitlines()[1] == "==> Rasa server failed after 12 s"
    assert stream.getvalue().splitlines()[3] == "==> Training interrupted after 0.0 s"


# --- a training, its screen and its log ------------------------------------------------


@pytest.fixture()
def fake_training(tmp_path) -> list[str]:
    script = tmp_path / "fake_train.py"
    script.write_text(FAKE_TRAINING)
    return [sys.executable, str(script)]


@pytest.mark.parametrize("tty", [False, True])
def test_the_training_shows_progress_and_logs_the_warnings(tmp_path, fake_training, tty):
    stream = io.StringIO()
    log = tmp_path / "logs" / "train.log"
    train_with_progress(fake_training, log, Progress(stream, tty=tty))
    screen = stream.getvalue()
    assert "==> Training  CountVectorsFeaturizer" in screen
    assert "==> Training  DIETClassifier" in screen
    assert "==> Training  TEDPolicy" in screen
    assert screen.rstrip().splitlines()[-1].rstrip().startswith("==> Training done in ")
    assert ("\r" in screen) is tty
    if tty:
        assert "DIETClassifier epoch " in screen
    for word in WARNING_WORDS:
        assert word not in screen
    logged = log.read_text()
    assert "DeprecationWarning: `np.bool8` is a deprecated alias" in logged
    assert "FutureWarning: The default dtype will change" in logged
    assert "MovedIn20Warning" in logged
    assert "Starting to train component 'DIETClassifier'" in logged
    assert "Your Rasa model is trained and saved" in logged
    assert "\x1b[" not in logged
    # Each bar's last state, not its every redraw.
    assert logged.count("30/30") == 1
    assert "15/30" not in logged
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_a_failed_training_ends_with_the_logs_last_lines_without_warnings(tmp_path, fake_training):
    stream = io.StringIO()
    log = tmp_path / "train.log"
    with pytest.raises(TrainingFailed) as failure:
        train_with_progress([*fake_training, "fail"], log, Progress(stream, tty=False))
    assert "failed after" in stream.getvalue().splitlines()[-1]
    message = str(failure.value)
    assert "exit code 1" in message and str(log) in message
    assert "unknown intent 'greet_x'" in message
    assert "Warning" not in message
    assert "unknown intent" in log.read_text()
    assert log_tail(log)[-1].endswith("unknown intent 'greet_x'")


def test_train_model_trains_once_with_its_output_in_the_log(
    tmp_path, fake_training, monkeypatch, capsys
):
    root = tmp_path / "project"
    root.mkdir()
    (root / "config.yml").write_text("pipeline: []\n")
    (root / "domain.yml").write_text("version: '3.1'\n")
    commands: list[list[str]] = []

    def fake_rasa_command(*args: str) -> list[str]:
        commands.append(list(args))
        return [*fake_training, *args]

    monkeypatch.setattr(processes, "rasa_command", fake_rasa_command)
    log = tmp_path / "logs" / "train.log"
    stream = io.StringIO()
    model = train_model(
        tmp_path / "models", "assistant", root=root, log_file=log, progress=Progress(stream)
    )
    assert model == tmp_path / "models" / "assistant.tar.gz"
    assert commands[0][0] == "train"
    assert commands[0][-1] == "--force" and "--quiet" not in commands[0]
    screen = stream.getvalue()
    assert screen.startswith("==> Training assistant with config.yml")
    assert str(log) in screen.splitlines()[0]
    assert "==> Training done in" in screen
    assert "Warning" not in screen + capsys.readouterr().out
    assert "DeprecationWarning" in log.read_text()
    # The model file is Rasa's to write; with it in place nothing is trained again.
    model.write_bytes(b"model")
    train_model(tmp_path / "models", "assistant", root=root, log_file=log)
    assert "is up to date" in capsys.readouterr().out
    assert len(commands) == 1


# --- the servers and `make run`'s own process ------------------------------------------


def test_a_server_stage_says_ready_with_its_time_and_address(tmp_path):
    port = free_port()
    group = ProcessGroup(tmp_path / "logs")
    stream = io.StringIO()
    url = f"http://127.0.0.1:{port}"
    server = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    try:
        _start_server(
            Progress(stream, tty=False),
            group,
            "Test server",
            "test-server",
            server,
            health=f"{url}/",
            address=url,
            starting="Starting the test server",
        )
    finally:
        group.stop(timeout=5)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "==> Starting the test server"
    assert lines[1].startswith("==> Test server ready in ")
    assert lines[1].endswith(f" {url}")


def test_make_runs_own_warnings_go_to_its_log_not_the_screen(tmp_path):
    log = tmp_path / "logs" / "cli.log"
    code = (
        "import warnings\n"
        "from pathlib import Path\n"
        "from bot.ops.cli import _warnings_to_log\n"
        f"_warnings_to_log(Path({str(log)!r}))\n"
        "warnings.warn('declarative_base() is deprecated', FutureWarning)\n"
        "print('still talking')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).parents[3],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "still talking\n"
    assert "Warning" not in result.stderr
    assert "FutureWarning: declarative_base() is deprecated" in log.read_text()


def test_a_server_that_does_not_answer_names_its_log(tmp_path):
    group = ProcessGroup(tmp_path / "logs")
    stream = io.StringIO()
    try:
        with pytest.raises(ServerNotReady, match=r"did not answer within 1 s; see .*slow\.log"):
            _start_server(
                Progress(stream, tty=False),
                group,
                "Slow server",
                "slow",
                [sys.executable, "-c", "import time; time.sleep(30)"],
                health=f"http://127.0.0.1:{free_port()}/health",
                address="",
                starting="Starting the slow server",
                timeout=1,
            )
    finally:
        group.stop(timeout=5)
    assert stream.getvalue().splitlines()[-1].startswith("==> Slow server failed after ")

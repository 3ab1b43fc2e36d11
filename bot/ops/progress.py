"""What `make run` and `make train` show while they work: one line per stage with the
time it took, and for the training one line that follows Rasa's progress.

    ==> Database migrations done in 0.4 s
    ==> Training  DIETClassifier epoch 37/100  (2:13)      (rewritten in place)
    ==> Training done in 4 min 12 s
    ==> Action server ready in 3.1 s    http://127.0.0.1:5055

On a terminal the line of the stage in progress is rewritten with a carriage return;
elsewhere (CI, a pipe, a file) plain lines are printed instead, one when the stage
starts, one when its step changes (a new component) or at most every `plain_interval`
seconds, and one when it ends.

The training's own output (Rasa's logs, TensorFlow's and other libraries' warnings,
tqdm's bars) goes to a log file only (`run_logged`); `TrainingOutput` reads it line by
line and says where the training is.
"""

from __future__ import annotations

import codecs
import os
import re
import selectors
import shutil
import subprocess  # nosec B404  # runs our own commands with fixed arguments, without a shell
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot.logs.files import PRIVATE_DIR_MODE, private_opener

PREFIX = "==> "


def format_duration(seconds: float) -> str:
    """'3.1 s', '42 s', '4 min 12 s', '1 h 3 min'."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def format_clock(seconds: float) -> str:
    """Elapsed time as a clock: '0:07', '2:13', '1:02:13'."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """The stages of a command, printed to `stream` (stdout unless given)."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        plain_interval: float = 10.0,
        redraw_interval: float = 0.1,
    ) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.tty = _isatty(self.stream) if tty is None else tty
        self.clock = clock
        self.plain_interval = plain_interval
        self.redraw_interval = redraw_interval
        self._drawn = ""  # the transient line on a terminal, "" when there is none

    def stage(self, title: str, *, starting: str | None = None, verb: str = "done") -> Stage:
        """`with progress.stage("Training") as stage:` prints when it starts and
        '==> Training done in 4 min 12 s' when the block ends."""
        return Stage(self, title, starting or f"{title}...", verb)

    def line(self, text: str) -> None:
        """A line that stays (written over the transient line, if one is shown)."""
        if self.tty and self._drawn:
            padding = " " * max(0, len(self._drawn) - len(text))
            self.stream.write("\r" + text + padding + "\n")
            self._drawn = ""
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def draw(self, text: str) -> None:
        """On a terminal, replace the transient line with `text` (cut to the width)."""
        columns = shutil.get_terminal_size((100, 24)).columns or 100  # 0: size unknown
        width = max(20, columns - 1)
        text = text if len(text) <= width else text[: width - 3] + "..."
        padding = " " * max(0, len(self._drawn) - len(text))
        self.stream.write("\r" + text + padding)
        self.stream.flush()
        self._drawn = text


class Stage:
    """One stage of a `Progress`: started on entering the `with`, timed, and ended
    with its duration (or 'failed after', 'interrupted after')."""

    def __init__(self, progress: Progress, title: str, starting: str, verb: str) -> None:
        self.progress = progress
        self.title = title
        self.starting = starting
        self.verb = verb
        self.note = ""  # shown after the duration (a server's address, say)
        self.detail = ""
        self.started = 0.0
        self._key: object = None
        self._last_draw = float("-inf")
        self._last_plain = float("-inf")
        self._drawn_text = ""

    def __enter__(self) -> Stage:
        self.started = self.progress.clock()
        if self.progress.tty:
            self._redraw(self.started)
        else:
            self.progress.line(PREFIX + self.starting)
            self._last_plain = self.started
        return self

    @property
    def elapsed(self) -> float:
        return self.progress.clock() - self.started

    def _text(self, now: float) -> str:
        what = f"{self.title}  {self.detail}" if self.detail else self.starting
        return f"{PREFIX}{what}  ({format_clock(now - self.started)})"

    def _redraw(self, now: float) -> None:
        self._drawn_text = self._text(now)
        self.progress.draw(self._drawn_text)
        self._last_draw = now

    def update(self, detail: str, key: object = None) -> None:
        """Where the stage is: `detail`. A new `key` (the component being trained, say) is
        a new step, printed as a plain line even between two `plain_interval`s."""
        now = self.progress.clock()
        new_step = key != self._key
        changed = detail != self.detail
        self.detail, self._key = detail, key
        if self.progress.tty:
            if new_step or (changed and now - self._last_draw >= self.progress.redraw_interval):
                self._redraw(now)
        elif changed and (new_step or now - self._last_plain >= self.progress.plain_interval):
            self.progress.line(self._text(now))
            self._last_plain = now

    def tick(self) -> None:
        """No news: on a terminal, the clock moves on (and a skipped update is shown)."""
        now = self.progress.clock()
        if self.progress.tty and self._text(now) != self._drawn_text:
            self._redraw(now)

    def __exit__(self, kind, error, traceback) -> None:
        duration = format_duration(self.elapsed)
        if kind is None:
            text = f"{PREFIX}{self.title} {self.verb} in {duration}"
            if self.note:
                text = f"{text:<42} {self.note}"
        elif issubclass(kind, KeyboardInterrupt):
            text = f"{PREFIX}{self.title} interrupted after {duration}"
        else:
            text = f"{PREFIX}{self.title} failed after {duration}"
        self.progress.line(text)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or closed
        return False


# --- Rasa's training output -------------------------------------------------------

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
COMPONENT_STARTED = re.compile(r"Starting to train component '(?P<name>[^']+)'")
COMPONENT_FINISHED = re.compile(
    r"(?:Finished training component '(?P<trained>[^']+)')"
    r"|(?:Restored component '(?P<restored>[^']+)' from cache)"
)
# tqdm: "Epochs:  37%|███▋      | 37/100 [00:10<00:17,  3.59it/s, t_loss=1.23]"
TQDM_BAR = re.compile(
    r"^\s*(?:(?P<desc>[^|]*?):\s*)?(?P<percent>\d{1,3})%\|[^|]*\|\s*(?P<n>\d+)/(?P<total>\d+)"
)
MODEL_SAVED = re.compile(r"Your Rasa model is trained and saved")
# "…/site-packages/x.py:12: DeprecationWarning: …", "FutureWarning: …"
PYTHON_WARNING = re.compile(r"\b[A-Z]\w*Warning\b")


def is_python_warning(line: str) -> bool:
    return bool(PYTHON_WARNING.search(line))


class TrainingOutput:
    """Reads `rasa train` output, line by line, and says where the training is."""

    def __init__(self) -> None:
        self.component: str | None = None
        self.bar: tuple[str, int, int] | None = None  # description, done, total
        self.started = 0
        self.finished = 0
        self.saving = False

    def feed(self, line: str) -> bool:
        """Take one line (or one tqdm update); True when the progress shown changes."""
        line = ANSI_ESCAPE.sub("", line)
        before = self.describe()
        if started := COMPONENT_STARTED.search(line):
            self.component, self.bar = started["name"], None
            self.started += 1
        elif finished := COMPONENT_FINISHED.search(line):
            self.finished += 1
            if self.component == (finished["trained"] or finished["restored"]):
                self.component = None
            self.bar = None
        elif bar := TQDM_BAR.match(line):
            self.bar = ((bar["desc"] or "").strip(), int(bar["n"]), int(bar["total"]))
        elif MODEL_SAVED.search(line):
            self.component, self.bar, self.saving = None, None, True
        return self.describe() != before

    def key(self) -> object:
        """What changes with each step: a component starts, the model is saved."""
        return (self.started, self.saving)

    def describe(self) -> str:
        """'DIETClassifier epoch 37/100', 'TEDPolicy processed trackers 120/500',
        'RegexFeaturizer', '5 components trained', 'model saved'."""
        if self.saving:
            return "model saved"
        bar = ""
        if self.bar is not None:
            desc, done, total = self.bar
            label = "epoch" if desc.lower().startswith("epoch") else desc.lower()
            bar = f"{label} {done}/{total}".strip()
        if self.component:
            return f"{self.component} {bar}".strip()
        if self.finished:
            count = f"{self.finished} component{'s' if self.finished > 1 else ''} trained"
            return f"{count}, {bar}" if bar else count
        return bar or "reading the data"


class LineSplitter:
    """Cuts a process's output into lines (ended by '\\n', kept in the log) and updates
    (ended by '\\r', as a progress bar redraws itself: shown, not logged, except the
    last state of a bar, which the line that follows it ends).

    tqdm writes '\\r' *before* each state, so the newest state has no end yet: a
    complete one (it ends with tqdm's ']') is shown at once, and logged when a line
    end follows it."""

    def __init__(self) -> None:
        self.buffer = ""
        self.pending = ""  # the last update not yet followed by a line end
        self._in_bar = False  # the last end was a '\\r'
        self._peeked = ""

    def feed(self, text: str) -> list[tuple[str, bool]]:
        """[(text, is_a_line)] for what `text` completes."""
        self.buffer += text
        out: list[tuple[str, bool]] = []
        start = 0
        buffer = self.buffer
        while (cut := _next_end(buffer, start)) is not None:
            end, length = cut
            segment = ANSI_ESCAPE.sub("", buffer[start:end])
            is_line = buffer[end : end + length].endswith("\n")
            start = end + length
            self._in_bar = not is_line
            if is_line:
                if segment.strip():
                    out.append((segment, True))
                elif self.pending:
                    out.append((self.pending, True))
                self.pending = ""
            elif segment.strip():
                if segment != self._peeked:
                    out.append((segment, False))
                self.pending = segment
            self._peeked = ""
        self.buffer = buffer[start:]
        newest = ANSI_ESCAPE.sub("", self.buffer).rstrip("\r")
        if self._in_bar and newest.rstrip().endswith("]") and newest != self._peeked:
            out.append((newest, False))
            self._peeked = newest
        return out

    def close(self) -> list[tuple[str, bool]]:
        """What is left at the end of the output."""
        rest = ANSI_ESCAPE.sub("", self.buffer).rstrip("\r")
        self.buffer = ""
        if rest.strip():
            return [(rest, True)]
        if self.pending:
            pending, self.pending = self.pending, ""
            return [(pending, True)]
        return []


def _next_end(buffer: str, start: int) -> tuple[int, int] | None:
    """(position, length) of the next '\\n', '\\r\\n' or '\\r' from `start`; a '\\r' at
    the very end waits for the next chunk (it may be half of a '\\r\\n')."""
    for position in range(start, len(buffer)):
        char = buffer[position]
        if char == "\n":
            return position, 1
        if char == "\r":
            if position + 1 == len(buffer):
                return None
            return position, 2 if buffer[position + 1] == "\n" else 1
    return None


def run_logged(
    command: Sequence[str],
    log_file: Path,
    *,
    on_output: Callable[[str], None],
    on_idle: Callable[[], None] | None = None,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    idle_after: float = 1.0,
) -> int:
    """Run `command`, its stdout and stderr written to `log_file` only (0600, replaced),
    `on_output` called with every line and progress update, `on_idle` after each
    `idle_after` seconds without output. Returns the exit code."""
    log_file.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    splitter = LineSplitter()
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    with open(log_file, "w", encoding="utf-8", opener=private_opener) as log:

        def take(pieces: list[tuple[str, bool]]) -> None:
            for text, is_line in pieces:
                if is_line:
                    log.write(text + "\n")
                on_output(text)
            log.flush()

        # bandit B603: Fixed arguments, no shell.
        process = subprocess.Popen(  # nosec B603
            list(command),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec_fn,
        )
        stdout = process.stdout  # a pipe: stdout=PIPE
        try:
            descriptor = stdout.fileno()
            with selectors.DefaultSelector() as selector:
                selector.register(descriptor, selectors.EVENT_READ)
                while True:
                    if not selector.select(timeout=idle_after):
                        if on_idle is not None:
                            on_idle()
                        continue
                    chunk = os.read(descriptor, 65536)
                    if not chunk:
                        break
                    take(splitter.feed(decoder.decode(chunk)))
            take(splitter.feed(decoder.decode(b"", final=True)) + splitter.close())
            return process.wait()
        except BaseException:  # Ctrl-C included: the training does not outlive us
            process.kill()
            process.wait()
            raise
        finally:
            stdout.close()


class TrainingFailed(RuntimeError):
    """`rasa train` ended with an error; the message ends with the log's last lines."""


def log_tail(log_file: Path, lines: int = 15) -> list[str]:
    """The last `lines` lines of `log_file` that are not Python warnings (nor the source
    lines printed under them)."""
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    kept: deque[str] = deque(maxlen=lines)
    after_warning = False
    for line in text.splitlines():
        if is_python_warning(line):
            after_warning = True
        elif after_warning and line.startswith((" ", "\t")):
            continue  # the source line Python prints under a warning
        else:
            after_warning = False
            if line.strip():
                kept.append(line)
    return list(kept)


def train_with_progress(
    command: Sequence[str],
    log_file: Path,
    progress: Progress,
    *,
    cwd: Path | str | None = None,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
) -> None:
    """Run a training command with one progress line on the screen and its whole output
    in `log_file`. Raises TrainingFailed when the command fails."""
    output = TrainingOutput()
    # Python's own output unbuffered: the progress follows the training as it goes.
    env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}
    with progress.stage("Training", starting="Training  reading the data") as stage:

        def follow(text: str) -> None:
            if output.feed(text):
                stage.update(output.describe(), key=output.key())

        code = run_logged(
            command,
            log_file,
            on_output=follow,
            on_idle=stage.tick,
            cwd=cwd,
            env=env,
            preexec_fn=preexec_fn,
        )
        if code != 0:
            tail = "\n".join("    " + line for line in log_tail(log_file))
            raise TrainingFailed(
                f"The training failed (exit code {code}). Its output is in {log_file};"
                f" the last lines:\n{tail}"
            )

"""Secrets come from the environment or a file, never from a command line or a URL.

`NAME` holds the value itself; `NAME_FILE` names a file that holds it (a Kubernetes or
Docker secret, say). On a laptop, when neither is set, a random value is made once and
kept in `var/<file name>` with mode 0600, so that every process of `make run` shares it.
In production nothing is made up: a missing secret stops the process with a clear message.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class MissingSecret(RuntimeError):
    """A secret that production must be given is not configured."""


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path`, readable by its owner only (created that way, no race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def read_secret(name: str, var_dir: Path, *, production: bool, generate: bool = True) -> str:
    """The secret `name` from the environment, `name_FILE`, or (locally) `var/`.

    Returns "" when it is not set and `generate` is False outside production.
    """
    value = os.environ.get(name, "").strip()
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE", "").strip()
    if file_name:
        return Path(file_name).read_text().strip()
    if production:
        raise MissingSecret(
            f"{name} is not set: production needs it in the environment or in a file "
            f"named by {name}_FILE."
        )
    if not generate:
        return ""
    path = var_dir / name.lower().replace("_", "-")
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    value = secrets.token_urlsafe(32)
    write_private(path, value + "\n")
    return value

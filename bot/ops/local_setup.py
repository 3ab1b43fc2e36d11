"""What `make run` prepares on a laptop: the Rasa API token and a demo counsellor.

Both are created once and kept in the var directory (files readable by the owner only),
so a restart keeps the same login. Production sets RASA_API_TOKEN and creates real
accounts with `python -m bot.console users add`.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from bot.accounts.users import create_user, get_user
from bot.secret_values import read_secret, write_private
from bot.settings import Settings

DEMO_USERNAME = "demo"
DEMO_DISPLAY_NAME = "Sam"


def rasa_api_token(settings: Settings) -> str:
    """The token that guards Rasa's HTTP API (the console uses it); made once if unset."""
    return read_secret("RASA_API_TOKEN", settings.var_dir, production=settings.production)


def demo_counsellor(factory: sessionmaker, var_dir: Path) -> tuple[str, str | None]:
    """(username, password) of the demo counsellor, created on first run.

    The password is None when the account exists but its password file is gone (it was
    changed with the CLI, say): we never reset a password behind the operator's back.
    """
    path = var_dir / "demo-counsellor-password"
    if get_user(factory, DEMO_USERNAME) is None:
        password = "-".join(secrets.token_urlsafe(6) for _ in range(3))
        create_user(
            factory, DEMO_USERNAME, password, "counsellor", DEMO_DISPLAY_NAME, actor="make-run"
        )
        write_private(path, password + "\n")
        return DEMO_USERNAME, password
    if path.exists():
        return DEMO_USERNAME, path.read_text().strip()
    return DEMO_USERNAME, None

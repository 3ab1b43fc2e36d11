"""Settings with embedded defaults, overridable through environment variables.

Every process (Rasa server components, action server, agency sandbox, CLI) reads its
configuration here, so that production differs from a laptop by environment only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SUPPORTED_LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"
# Counsellors' office hours per agency (JSON; see bot/handoff/office_hours.py).
OFFICE_HOURS_ENV = "HANDOFF_OFFICE_HOURS"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _var_dir() -> Path:
    return Path(_env("ASSISTANT_VAR_DIR", str(PROJECT_ROOT / "var")))


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Build it with :func:`load_settings`."""

    var_dir: Path
    database_url: str
    agency_api_url: str
    agency_client_id: str
    agency_client_secret: str
    agency_timeout_seconds: float
    agency_max_attempts: int
    sandbox_database_url: str
    sandbox_port: int
    action_port: int
    rasa_port: int
    outbox_poll_seconds: float
    outbox_retry_seconds: float
    console_port: int = 5006
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_api_token: str = ""
    console_secure_cookies: bool = False
    handoff_office_hours: str = ""  # JSON; empty: Mon–Fri 09:00–17:00 for every agency


def load_settings() -> Settings:
    """Read the settings from the environment, falling back to embedded defaults."""
    var_dir = _var_dir()
    sandbox_port = int(_env("AGENCY_SANDBOX_PORT", "8088"))
    return Settings(
        var_dir=var_dir,
        database_url=_env("ASSISTANT_DATABASE_URL", f"sqlite:///{var_dir / 'assistant.db'}"),
        agency_api_url=_env("AGENCY_API_URL", f"http://127.0.0.1:{sandbox_port}"),
        agency_client_id=_env("AGENCY_CLIENT_ID", "assistant"),
        agency_client_secret=_env("AGENCY_CLIENT_SECRET", "sandbox-secret"),
        agency_timeout_seconds=float(_env("AGENCY_TIMEOUT_SECONDS", "5")),
        agency_max_attempts=int(_env("AGENCY_MAX_ATTEMPTS", "3")),
        sandbox_database_url=_env(
            "AGENCY_SANDBOX_DATABASE_URL", f"sqlite:///{var_dir / 'agency_sandbox.db'}"
        ),
        sandbox_port=sandbox_port,
        action_port=int(_env("ACTION_SERVER_PORT", "5055")),
        rasa_port=int(_env("RASA_PORT", "5005")),
        outbox_poll_seconds=float(_env("OUTBOX_POLL_SECONDS", "10")),
        outbox_retry_seconds=float(_env("OUTBOX_RETRY_SECONDS", "30")),
        console_port=int(_env("CONSOLE_PORT", "5006")),
        rasa_url=_env("RASA_URL", f"http://127.0.0.1:{_env('RASA_PORT', '5005')}"),
        rasa_api_token=_env("RASA_API_TOKEN", ""),
        # Behind HTTPS in production: cookies only over TLS.
        console_secure_cookies=_env("CONSOLE_SECURE_COOKIES", "0").lower() in ("1", "true", "yes"),
        handoff_office_hours=_env(OFFICE_HOURS_ENV, ""),
    )

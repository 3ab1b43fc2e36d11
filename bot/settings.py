"""Settings with embedded defaults, overridable through environment variables.

Every process (Rasa server components, action server, agency sandbox, CLI) reads its
configuration here, so that production differs from a laptop by environment only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SUPPORTED_LANGUAGES: tuple[str, ...] = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"
# Counsellors' office hours per agency (JSON; see bot/handoff/office_hours.py).
OFFICE_HOURS_ENV = "HANDOFF_OFFICE_HOURS"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_or_file(name: str, default: str) -> str:
    """`name` from the environment, else from the file named by `name_FILE`, else default."""
    file_name = os.environ.get(f"{name}_FILE", "")
    if not os.environ.get(name) and file_name:
        return Path(file_name).read_text().strip()
    return _env(name, default)


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
    # "production" refuses made-up secrets and turns the REST channel off by default.
    environment: str = "local"
    # Every server listens here unless told otherwise (never 0.0.0.0 by default).
    bind_host: str = "127.0.0.1"
    # Web pages allowed to embed the widget and call the servers (CORS, socket.io).
    allowed_origins: tuple[str, ...] = ()
    # The REST channel: "on" (open on loopback, token from elsewhere) or "off".
    rest_channel: str = "on"
    # Where the privacy notice links to: the agency's own policy.
    privacy_policy_url: str = "https://www.dataprotectionauthority.be/citizen"
    # Tracker events and handoff transcripts older than this are deleted.
    retention_days: int = 30
    # Rasa's tracker store (endpoints*.yml) as an SQLAlchemy URL: retention reads it.
    tracker_database_url: str = field(default="", repr=False)
    # Messages one conversation may send per minute before it is asked to slow down.
    messages_per_minute: int = 30
    # Redis of the channels (socket.io manager, Telegram de-duplication, rate limits):
    # see _redis_url. "" locally: each Rasa server keeps them in its own memory.
    redis_url: str = field(default="", repr=False)
    # Every key the channels write in Redis starts with this (several deployments, tests).
    redis_key_prefix: str = "jobseeker:"
    # Production wiring with the local agency sandbox, for a cluster on one machine and
    # its tests only (ALLOW_LOCAL_AGENCY_SANDBOX=1; refused with a remote agency URL).
    allow_local_agency_sandbox: bool = False

    @property
    def production(self) -> bool:
        return self.environment == "production"


def _origins(rasa_port: str, console_port: str) -> tuple[str, ...]:
    configured = _env("ALLOWED_ORIGINS", "")
    if configured:
        return tuple(
            origin.strip().rstrip("/") for origin in configured.split(",") if origin.strip()
        )
    # Locally: the demo page and the console, by either loopback name.
    return tuple(
        f"http://{host}:{port}"
        for port in (rasa_port, console_port)
        for host in ("localhost", "127.0.0.1")
    )


def _tracker_database_url(var_dir: Path) -> str:
    """The database of Rasa's tracker store, as endpoints*.yml configure it.

    `TRACKER_DATABASE_URL` when set; else the PostgreSQL of endpoints.production.yml
    (`TRACKER_DB_HOST`, `_PORT`, `_NAME`, `_USER`, `_PASSWORD`); else the SQLite file of
    endpoints.yml (`var/tracker.db`).
    """
    configured = _env("TRACKER_DATABASE_URL", "")
    host = _env("TRACKER_DB_HOST", "")
    if configured or "://" in host:
        return configured or host
    if not host:
        return f"sqlite:///{var_dir / 'tracker.db'}"
    port = _env("TRACKER_DB_PORT", "")
    return URL.create(
        "postgresql",
        username=_env("TRACKER_DB_USER", "") or None,
        password=_env("TRACKER_DB_PASSWORD", "") or None,
        host=host,
        port=int(port) if port else None,
        database=_env("TRACKER_DB_NAME", "") or None,
    ).render_as_string(hide_password=False)


REDIS_DEFAULT_PORT = "6379"
# The database of the channels' keys when the URL is built from REDIS_HOST; Rasa's lock
# store (endpoints.production.yml) uses database 1 of the same server.
REDIS_CHANNELS_DB = "0"


def _redis_url() -> str:
    """The Redis of the channels: the socket.io manager shared by every Rasa server, the
    Telegram de-duplication and the rate limits per conversation.

    `REDIS_URL` (or `REDIS_URL_FILE`: it may hold a password), e.g.
    `redis://:password@redis.internal:6379/0`; else built from the variables of
    endpoints.production.yml's lock store, `REDIS_HOST` and `REDIS_PORT` (6379), with
    `REDIS_PASSWORD` when set and database `REDIS_DB` (0; the lock store uses 1); else ""
    (locally: each Rasa server keeps these in its memory). Production requires one:
    channels/redis_client.py refuses to start without it.
    """
    configured = _env_or_file("REDIS_URL", "")
    if configured:
        return configured
    host = _env("REDIS_HOST", "")
    if not host:
        return ""
    password = _env_or_file("REDIS_PASSWORD", "")
    auth = f":{quote(password, safe='')}@" if password else ""
    netloc = f"[{host}]" if ":" in host else host
    port = _env("REDIS_PORT", REDIS_DEFAULT_PORT)
    return f"redis://{auth}{netloc}:{port}/{_env('REDIS_DB', REDIS_CHANNELS_DB)}"


def _flag(name: str) -> bool:
    return _env(name, "0").lower() in ("1", "true", "yes")


def load_settings() -> Settings:
    """Read the settings from the environment, falling back to embedded defaults."""
    var_dir = _var_dir()
    sandbox_port = int(_env("AGENCY_SANDBOX_PORT", "8088"))
    environment = _env("ASSISTANT_ENV", "local").lower()
    rasa_port = _env("RASA_PORT", "5005")
    console_port = _env("CONSOLE_PORT", "5006")
    return Settings(
        var_dir=var_dir,
        database_url=_env("ASSISTANT_DATABASE_URL", f"sqlite:///{var_dir / 'assistant.db'}"),
        agency_api_url=_env("AGENCY_API_URL", f"http://127.0.0.1:{sandbox_port}"),
        agency_client_id=_env("AGENCY_CLIENT_ID", "assistant"),
        agency_client_secret=_env_or_file("AGENCY_CLIENT_SECRET", "sandbox-secret"),
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
        rasa_api_token=_env_or_file("RASA_API_TOKEN", ""),
        # Behind HTTPS in production: cookies only over TLS.
        console_secure_cookies=_env("CONSOLE_SECURE_COOKIES", "0").lower() in ("1", "true", "yes"),
        handoff_office_hours=_env(OFFICE_HOURS_ENV, ""),
        environment=environment,
        bind_host=_env("ASSISTANT_BIND_HOST", "127.0.0.1"),
        allowed_origins=_origins(rasa_port, console_port),
        rest_channel=_env("REST_CHANNEL", "off" if environment == "production" else "on").lower(),
        privacy_policy_url=_env(
            "PRIVACY_POLICY_URL", "https://www.dataprotectionauthority.be/citizen"
        ),
        retention_days=int(_env("RETENTION_DAYS", "30")),
        tracker_database_url=_tracker_database_url(var_dir),
        messages_per_minute=int(_env("MESSAGES_PER_MINUTE", "30")),
        redis_url=_redis_url(),
        redis_key_prefix=_env("REDIS_KEY_PREFIX", "jobseeker:"),
        allow_local_agency_sandbox=_flag("ALLOW_LOCAL_AGENCY_SANDBOX"),
    )

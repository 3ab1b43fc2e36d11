"""Configuration of the Telegram channel: environment variables, overridable by credentials.yml.

Secrets live in the environment only; credentials.yml may override a key for a special set-up
(for example another API base URL), but the project's own file never holds a token.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_POLL_TIMEOUT = 30
WEBHOOK_PATH = "/webhooks/telegram/webhook"
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret token.
_SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# credentials.yml key -> environment variable
ENVIRONMENT = {
    # bandit B105: The name of a setting or header, not a secret.
    "bot_token": "TELEGRAM_BOT_TOKEN",  # nosec B105
    # bandit B105: The name of a setting or header, not a secret.
    "webhook_secret": "TELEGRAM_WEBHOOK_SECRET",  # nosec B105
    "public_url": "TELEGRAM_PUBLIC_URL",
    "api_base_url": "TELEGRAM_API_BASE_URL",
    "poll_timeout": "TELEGRAM_POLL_TIMEOUT",
}

Mode = Literal["off", "webhook", "polling"]


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@dataclass(frozen=True)
class TelegramConfig:
    """What the channel needs to run. Without a token the channel is off."""

    bot_token: str | None = None
    webhook_secret: str | None = None
    public_url: str | None = None
    api_base_url: str = DEFAULT_API_BASE_URL
    poll_timeout: int = DEFAULT_POLL_TIMEOUT

    @classmethod
    def load(
        cls,
        credentials: Mapping[str, Any] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> TelegramConfig:
        """Environment first; a non-empty credentials key overrides the variable."""
        environ = os.environ if environ is None else environ
        credentials = credentials or {}
        values = {
            key: _clean(credentials.get(key)) or _clean(environ.get(variable))
            for key, variable in ENVIRONMENT.items()
        }
        return cls(
            bot_token=values["bot_token"],
            webhook_secret=values["webhook_secret"],
            public_url=values["public_url"],
            api_base_url=values["api_base_url"] or DEFAULT_API_BASE_URL,
            poll_timeout=_positive_int(values["poll_timeout"], DEFAULT_POLL_TIMEOUT),
        )

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None

    @property
    def mode(self) -> Mode:
        if not self.enabled:
            return "off"
        return "webhook" if self.public_url else "polling"

    @property
    def webhook_url(self) -> str | None:
        """The URL given to setWebhook: the public base URL plus the channel's path.

        An operator who already wrote the full webhook URL gets it unchanged.
        """
        if not self.public_url:
            return None
        base = self.public_url.rstrip("/")
        return base if base.endswith(WEBHOOK_PATH) else base + WEBHOOK_PATH

    @property
    def api_file_url(self) -> str:
        """Where files are downloaded: Telegram's layout puts `/file` before `/bot`."""
        base = self.api_base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return self.api_base_url

    @property
    def secret_is_valid(self) -> bool:
        return bool(self.webhook_secret and _SECRET_FORMAT.match(self.webhook_secret))

    def __repr__(self) -> str:  # never print the token or the secret
        return (
            f"TelegramConfig(mode={self.mode!r}, public_url={self.public_url!r}, "
            f"api={'default' if self.api_base_url == DEFAULT_API_BASE_URL else 'custom'}, "
            f"secret={'set' if self.webhook_secret else 'unset'})"
        )


def _positive_int(value: str | None, default: int) -> int:
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return number if number > 0 else default

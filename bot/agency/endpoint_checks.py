"""What the agency client refuses before it sends anything: personal data in clear text
over the network, and production running on the sandbox's made-up credentials."""

from __future__ import annotations

from urllib.parse import urlsplit

from bot.network import is_loopback
from bot.settings import Settings

# bandit B105: The sandbox's public made-up secret, kept to refuse it in production.
SANDBOX_CLIENT_SECRET = "sandbox-secret"  # nosec B105


class UnsafeAgencyConfiguration(ValueError):
    """The agency client would leak data or run on the sandbox's credentials."""


def check_base_url(base_url: str) -> None:
    """https everywhere; plain http only to this machine (the sandbox)."""
    parts = urlsplit(base_url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return
    raise UnsafeAgencyConfiguration(
        "AGENCY_API_URL must be https:// (plain http:// is allowed to this machine only)"
    )


def check_production_credentials(settings: Settings) -> None:
    """In production: real credentials and a real agency, or the process does not start."""
    if not settings.production:
        return
    host = urlsplit(settings.agency_api_url).hostname or ""
    if settings.allow_local_agency_sandbox:
        # A production-wired cluster on one machine (bot/ops/cluster.py, tests/production)
        # talks to the sandbox; the switch never lets a real agency get made-up secrets.
        if not is_loopback(host):
            raise UnsafeAgencyConfiguration(
                "ALLOW_LOCAL_AGENCY_SANDBOX is for the local sandbox only: unset it "
                "to talk to a real agency"
            )
        check_base_url(settings.agency_api_url)
        return
    if not settings.agency_client_secret or settings.agency_client_secret == SANDBOX_CLIENT_SECRET:
        raise UnsafeAgencyConfiguration(
            "production needs the agency's real AGENCY_CLIENT_ID and AGENCY_CLIENT_SECRET"
        )
    if is_loopback(host):
        raise UnsafeAgencyConfiguration("production must not talk to the local agency sandbox")
    check_base_url(settings.agency_api_url)

"""Exceptions raised by :class:`bot.agency.client.AgencyClient`.

Messages never carry personal data: only HTTP status codes, error codes and the agency's
own `detail` text (which the sandbox and the agency keep free of personal data).
"""

from __future__ import annotations


class AgencyError(Exception):
    """Base class of every error of the agency client."""


class AgencyUnavailable(AgencyError):
    """The agency did not answer usefully (timeouts, connection errors, 5xx) after the last
    attempt. Safe to try again later with the same Idempotency-Key."""

    def __init__(self, reason: str, attempts: int) -> None:
        super().__init__(f"agency unavailable after {attempts} attempt(s): {reason}")
        self.reason = reason
        self.attempts = attempts


class AlreadyRegistered(AgencyError):
    """The national number is already registered as a jobseeker (HTTP 409)."""

    def __init__(self, reference: str, detail: str = "", response: dict | None = None) -> None:
        super().__init__(f"already registered as {reference}")
        self.reference = reference
        self.detail = detail
        self.response = response or {}


class AgencyRejected(AgencyError):
    """The agency refused the request (any other 4xx); trying again will not help."""

    def __init__(
        self, status: int, error: str, detail: str = "", response: dict | None = None
    ) -> None:
        super().__init__(f"agency rejected the request: {status} {error}")
        self.status = status
        self.error = error
        self.detail = detail
        self.response = response or {}

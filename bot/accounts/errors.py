"""The errors of the accounts package."""

from __future__ import annotations


class AuthError(Exception):
    """Base of the errors of the accounts package."""


class WeakPassword(AuthError):
    pass


class InvalidUsername(AuthError):
    pass


class UserExists(AuthError):
    pass


class UnknownUser(AuthError):
    pass


class PermissionDenied(AuthError, PermissionError):
    pass


class LoginThrottled(AuthError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds

"""When a failed delivery is tried again, and which failures are worth another try."""

from __future__ import annotations

# Refusals that say nothing about the submission itself (credentials, rate limits): the
# row stays pending and is tried again later instead of being rejected for good.
RETRYABLE_REJECTIONS = frozenset({401, 403, 408, 425, 429})
# The error code of a row whose last attempt found the agency unavailable.
UNAVAILABLE = "unavailable"


def retry_delay(attempts: int, base_seconds: float, max_seconds: float) -> float:
    """Seconds to wait after the `attempts`-th failed attempt: doubling, capped."""
    return min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds)

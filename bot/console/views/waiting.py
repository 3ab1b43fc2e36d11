"""How long a citizen has waited, as the queue and the summary say it."""

from __future__ import annotations


def waiting_minutes(seconds: int) -> str:
    """ "under a minute" or "N min" (console.js says it the same way as time passes)."""
    minutes = max(0, seconds) // 60
    return "under a minute" if minutes < 1 else f"{minutes} min"

"""Fixtures of the agency tests (defined once in `tests/agency_support.py`)."""

from tests.agency_support import agency_client, outbox, sandbox

__all__ = ["agency_client", "outbox", "sandbox"]

"""Fixtures of the sandbox tests (defined once in `tests/agency_support.py`)."""

from tests.agency_support import sandbox

__all__ = ["sandbox"]

"""Plain helpers of the accounts tests (fixtures are in conftest.py)."""

from __future__ import annotations

PASSWORD = "correct horse battery"

"""The value every validator returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of validating one answer typed by a citizen.

    ok:      whether the answer can be used.
    value:   the normalised value when ok (may be None, e.g. "no e-mail address").
    error:   a stable machine code when not ok (see each validator for its codes).
    details: extra facts for the reply text (suggestions, agency, formatted forms...).
    """

    ok: bool
    value: Any = None
    error: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Keep a private copy so the caller's mapping cannot change the result afterwards.
        object.__setattr__(self, "details", dict(self.details))

    @classmethod
    def valid(cls, value: Any, **details: Any) -> ValidationResult:
        return cls(ok=True, value=value, error=None, details=details)

    @classmethod
    def invalid(cls, error: str, **details: Any) -> ValidationResult:
        return cls(ok=False, value=None, error=error, details=details)

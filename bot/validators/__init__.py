"""Pure validation and normalisation of what citizens type, for the form actions.

Every validator takes the raw text, never raises on any str (or None) input, logs
nothing, and returns a `ValidationResult`. Invisible formatting characters (bidirectional
marks, zero-width space, byte order mark: `text.remove_invisible`) are removed first, so
they never change an answer; an accepted value holds none of them, nor control characters.
"""

from .dates import MAX_AGE, MIN_AGE, format_date, matches_national_number, parse_birth_date
from .emails import PROVIDER_DOMAINS, suggest_domain, validate_email
from .names import MAX_LENGTH as MAX_NAME_LENGTH
from .names import validate_name
from .national_number import masked_national_number, validate_national_number
from .phones import DEFAULT_REGION, validate_phone
from .postcodes import validate_postcode
from .result import ValidationResult
from .text import (
    DEFAULT_PROCESSING_LIMIT,
    collapse_spaces,
    fold_accents,
    is_blank_or_noise,
    normalize_digits,
    remove_invisible,
    truncate_for_processing,
)

__all__ = [
    "DEFAULT_PROCESSING_LIMIT",
    "DEFAULT_REGION",
    "MAX_AGE",
    "MAX_NAME_LENGTH",
    "MIN_AGE",
    "PROVIDER_DOMAINS",
    "ValidationResult",
    "collapse_spaces",
    "fold_accents",
    "format_date",
    "is_blank_or_noise",
    "masked_national_number",
    "matches_national_number",
    "normalize_digits",
    "parse_birth_date",
    "remove_invisible",
    "suggest_domain",
    "truncate_for_processing",
    "validate_email",
    "validate_name",
    "validate_national_number",
    "validate_phone",
    "validate_postcode",
]

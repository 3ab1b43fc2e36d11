"""The references a citizen is given: JS-… (registration), DR-… (document request),
Q-… (queued while the agency was down). One place reads them, wherever they are typed.

Citizens copy them by hand: lower case, a space or no dash at all ("dr4tq8zp1m") are
accepted and written the canonical way. Without the dash the code part must hold a
digit, so that an ordinary word ("qualified") is never taken for a reference.
"""

from __future__ import annotations

import re

# ASCII: with IGNORECASE alone, [A-Z] would also match "ı", "İ", "ſ" and the Kelvin sign.
_FLAGS = re.IGNORECASE | re.ASCII
_WITH_DASH = re.compile(r"\b(JS|DR|Q)-([A-Z0-9]{8})\b", _FLAGS)
_WITHOUT_DASH = re.compile(r"\b(JS|DR|Q) ?((?=[A-Z]*[0-9])[A-Z0-9]{8})\b", _FLAGS)


def find_reference(text: str) -> str | None:
    """The first reference in `text`, written the canonical way ("DR-4TQ8ZP1M"), or None."""
    match = _WITH_DASH.search(text) or _WITHOUT_DASH.search(text)
    return f"{match.group(1)}-{match.group(2)}".upper() if match else None

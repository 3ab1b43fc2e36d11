"""Is a message a plausible answer to the question the form asked?

Each question has a validator (`bot.validators`) or a closed list of values
(`bot.understanding.keywords`): a message is a plausible answer when that check accepts it, whatever
the NLU thought of it. Names and the wanted work are free text: for them a short
prefix such as "ik heet", "je m'appelle", "my name is" is removed first.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from bot.tasks.references import find_reference
from bot.understanding import keywords
from bot.validators import (
    parse_birth_date,
    validate_email,
    validate_name,
    validate_national_number,
    validate_phone,
    validate_postcode,
)
from bot.validators.text import is_blank_or_noise, remove_invisible

NAME_SLOTS = ("given_name", "family_name")
# Free-text questions: any short text may be the answer, so a command word typed alone
# is ambiguous there ("Is your first name Stop?").
FREE_TEXT_SLOTS = (*NAME_SLOTS, "occupation")
CLOSED_SLOTS = ("education_level", "delivery", "document_type", "field")
CONFIRM_SLOTS = ("registration_confirmed", "document_confirmed")
MAX_OCCUPATION_CHARS = 80
MAX_OCCUPATION_WORDS = 12
# Phones type a typographic apostrophe ("je m’appelle") as often as a straight one.
_APOSTROPHE = "['’‘`´ʼ]"
_NAME_PREFIX = re.compile(
    (
        r"^\s*(?:"
        r"(?:ik\s+)?heet|(?:mijn|m'?n|mn)\s+(?:voor|achter|familie)?naam\s+is|ik\s+ben"
        r"|je\s+m'?\s*appelle|j'?\s*m'?\s*appelle|moi\s+c'?\s*est"
        r"|mon\s+(?:pr[ée]nom|nom(?:\s+de\s+famille)?)\s+(?:c'?\s*est|est)|c'?\s*est"
        r"|my\s+(?:first\s+|last\s+|family\s+|sur)?name\s+is|my\s+name'?s|i\s+am|i'?m|it'?s"
        # Then an optional ":" or "," and spaces. Written so that no two parts can match
        # the same spaces: "\s*[:,]?\s+" took quadratic time on a long run of spaces.
        r")(?:\s*[:,])?\s+(?=\S)"
    ).replace("'", _APOSTROPHE),
    re.IGNORECASE,
)


def strip_name_prefix(text: str) -> str:
    """ "ik heet Daan" -> "Daan"; text without such a prefix is returned as it is."""
    return _NAME_PREFIX.sub("", text, count=1).strip(" .!")


def name_answer(text: str, entity: str | None = None) -> str | None:
    """The name in `text` (a prefix removed, or the entity found by the NLU), or None."""
    for candidate in (text.strip(" .!"), strip_name_prefix(text), entity or ""):
        if candidate and validate_name(candidate).ok:
            return candidate
    return None


def clean_free_text(text: str) -> str:
    """`text` with what no one types removed: invisible formatting characters, control
    characters (replaced by a space) and lone surrogates; spaces collapsed.

    The agency refuses control characters, and a lone surrogate cannot be stored.
    """
    kept = (
        " " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in remove_invisible(text)
    )
    return " ".join("".join(kept).split())


def is_acceptable_occupation(text: str) -> bool:
    """Short free text with letters or digits and no markup."""
    cleaned = clean_free_text(text)
    return not (
        is_blank_or_noise(cleaned)
        or "<" in cleaned
        or ">" in cleaned
        or len(cleaned) > MAX_OCCUPATION_CHARS
        or len(cleaned.split()) > MAX_OCCUPATION_WORDS
    )


def occupation_answer(text: str, entity: str | None = None) -> str | None:
    """The wanted work: a named occupation, else short free text."""
    if entity:
        return entity
    named = keywords.match("occupation", text)
    if named:
        return named
    return clean_free_text(text) if is_acceptable_occupation(text) else None


def is_plausible_answer(
    slot: str,
    text: str,
    *,
    intent: str | None,
    entities: dict[str, Any],
    language: str,
) -> bool:
    """Would the form accept `text` as the answer to the question about `slot`?"""
    entity = entities.get(slot)
    entity = str(entity) if entity is not None else None
    if slot in NAME_SLOTS:
        # "gezinssamenstelling" alone names a document, not a person.
        return name_answer(text, entity) is not None and not keywords.exact("document_type", text)
    if slot == "occupation":
        return occupation_answer(text, entity) is not None
    if slot in CONFIRM_SLOTS:
        return intent in ("affirm", "deny")
    if slot in CLOSED_SLOTS:
        return bool(entity or keywords.match(slot, text))
    if slot == "email":
        return intent == "deny" or any(validate_email(v).ok for v in (text, entity) if v)
    if slot == "reference":
        return bool(entity or find_reference(text))
    check = {
        "national_number": validate_national_number,
        "phone": validate_phone,
        "postcode": validate_postcode,
        "birth_date": lambda value: parse_birth_date(value, language),
    }.get(slot)
    if check is None:
        return False
    return any(check(value).ok for value in (text, entity) if value)

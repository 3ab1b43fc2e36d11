"""Maps free text to a canonical value (document type, delivery, field, ...).

The source is the NLU training data's synonyms (`data/nlu/<lang>/synonyms.yml`) plus
the button titles of the locale files, so trainers and translators maintain one list.
Used when a citizen types an answer instead of tapping a button.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from bot.i18n.catalog import get_catalog
from bot.settings import PROJECT_ROOT, SUPPORTED_LANGUAGES
from bot.tasks.fields import (
    DELIVERY_METHODS,
    DOCUMENT_TYPES,
    EDUCATION_LEVELS,
    OCCUPATIONS,
    REGISTRATION_SLOTS,
)

CANONICAL_VALUES: dict[str, tuple[str, ...]] = {
    "document_type": DOCUMENT_TYPES,
    "delivery": DELIVERY_METHODS,
    "education_level": EDUCATION_LEVELS,
    "occupation": OCCUPATIONS,
    "field": (*REGISTRATION_SLOTS, "name", "document_type", "delivery"),
    "language": SUPPORTED_LANGUAGES,
}
_LABEL_PREFIX = {
    "document_type": "document_",
    "delivery": "delivery_",
    "education_level": "education_",
    "occupation": "occupation_",
    "field": "field_",
    "language": "language_name_",
}


def normalise(text: str) -> str:
    """Lower case, no accents, single spaces: how we compare citizens' words.

    Compatibility forms are unfolded before the case ("𝐏𝐎𝐒𝐓", "ｐｏｓｔ" -> "post").
    """
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", stripped))


@lru_cache(maxsize=1)
def _phrases() -> dict[str, dict[str, str]]:
    """entity -> {normalised phrase -> canonical value}."""
    table: dict[str, dict[str, str]] = {entity: {} for entity in CANONICAL_VALUES}
    for entity, values in CANONICAL_VALUES.items():
        for value in values:
            table[entity][normalise(value.replace("_", " "))] = value
    catalog = get_catalog()
    for language in SUPPORTED_LANGUAGES:
        for entity, prefix in _LABEL_PREFIX.items():
            for value in CANONICAL_VALUES[entity]:
                label = catalog.texts[language].get(f"{prefix}{value}")
                if label:
                    table[entity][normalise(label)] = value
        path = PROJECT_ROOT / "data" / "nlu" / language / "synonyms.yml"
        for value, examples in _synonyms(path).items():
            for entity, values in CANONICAL_VALUES.items():
                if value in values:
                    for example in examples:
                        table[entity].setdefault(normalise(example), value)
    return table


def _synonyms(path: Path) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result: dict[str, list[str]] = {}
    for item in content.get("nlu", []) or []:
        if "synonym" in item:
            examples = [
                line.strip()[2:].strip()
                for line in str(item.get("examples", "")).splitlines()
                if line.strip().startswith("- ")
            ]
            result.setdefault(str(item["synonym"]), []).extend(examples)
    return result


def exact(entity: str, text: str) -> str | None:
    """The canonical value of `entity` when `text` is exactly one of its phrases."""
    return _phrases().get(entity, {}).get(normalise(text))


def match(entity: str, text: str) -> str | None:
    """The canonical value of `entity` named in `text`, or None.

    An exact phrase wins; otherwise the longest known phrase found inside the text,
    so that "ik wil het per post" finds "post".
    """
    phrases = _phrases().get(entity, {})
    wanted = normalise(text)
    if not wanted:
        return None
    if wanted in phrases:
        return phrases[wanted]
    padded = f" {wanted} "
    found = [(len(p), v) for p, v in phrases.items() if p and f" {p} " in padded]
    values = {v for _, v in found}
    if not found:
        return None
    best = max(found)[1]
    # Two different values named equally long: do not guess.
    longest = max(found)[0]
    if len({v for n, v in found if n == longest}) > 1 and len(values) > 1:
        return None
    return best

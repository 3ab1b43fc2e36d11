"""Which language a citizen is writing in, decided only when the evidence is clear.

lingua is restricted to the supported languages. Short replies ("ok", "ja", "merci",
"nee") are ambiguous across nl/fr/en and Belgian Dutch speakers say "merci": for them
we return None and the conversation keeps its current language.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from bot.settings import SUPPORTED_LANGUAGES

MIN_LETTERS = 12
MIN_WORDS = 2
MIN_CONFIDENCE = 0.70
MIN_MARGIN = 0.35

_NOT_WORDS = re.compile(r"\S*[@/\\]\S*|\S*\d\S*")  # e-mails, payloads, numbers, codes
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in SUPPORTED_LANGUAGES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()


def language_confidences(text: str) -> dict[str, float]:
    """Confidence per supported language (sums to 1), for diagnostics and tests."""
    with _lock:
        values = _detector().compute_language_confidence_values(text)
    return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


def detect_language(text: str | None) -> str | None:
    """The language of `text` when it is long enough and clear enough, else None."""
    if not text or text.lstrip().startswith("/"):
        return None
    cleaned = _NOT_WORDS.sub(" ", text[:500])
    words = _WORD.findall(cleaned)
    if len(words) < MIN_WORDS or sum(len(w) for w in words) < MIN_LETTERS:
        return None
    ranked = sorted(language_confidences(" ".join(words)).items(), key=lambda kv: -kv[1])
    if not ranked:
        return None
    best_language, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best >= MIN_CONFIDENCE and best - runner_up >= MIN_MARGIN:
        return best_language
    return None

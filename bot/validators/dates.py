"""Birth dates typed in Dutch, French or English, numeric or written.

Error codes of `parse_birth_date`:
    "empty"       nothing (or only punctuation/emoji) was typed
    "format"      not recognisable as a date (missing year, unknown words, too many numbers)
    "impossible"  recognisable but does not exist (31/02/1985, month 13, day 0)
    "future"      after `today`
    "too_young"   younger than `min_age` (15) at `today`
    "too_old"     older than `max_age` (120) at `today`
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .result import ValidationResult
from .text import fold_accents, is_blank_or_noise, normalize_digits, remove_invisible

MIN_AGE = 15
MAX_AGE = 120
_MAX_INPUT = 100

# Month names and abbreviations in nl, fr, en, without accents (compared after folding).
_MONTHS: dict[str, int] = {}
for _month, _names in enumerate(
    (
        "januari jan janvier janv january",
        "februari feb febr fevrier fevr fev february",
        "maart mrt mars mar march",
        "april apr avril avr",
        "mei mai may",
        "juni jun juin june",
        "juli jul juillet juil july",
        "augustus aug aout august",
        "september sep sept septembre",
        "oktober okt octobre oct october",
        "november nov novembre",
        "december dec decembre",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _month
# Only full names are used for typo matching: abbreviations are too short to guess from.
_FUZZY_MONTH_NAMES = [name for name in _MONTHS if len(name) >= 5]

# Words people put around a date ("geboren op", "né le", "the 12th of"), ordinal
# suffixes once split from their number ("12th", "1er", "2ème", "1ste", "3de"),
# and weekday names.
_FILLER = frozenset(
    word
    for line in (
        "de of the le la du on op in en and et a am",
        "st nd rd th er re e eme ieme ste",
        "ik ben geboren mijn geboortedatum is je suis ne nee ma date naissance",
        "i was born my birthday birth dob",
        "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
        "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "monday tuesday wednesday thursday friday saturday sunday",
    )
    for word in line.split()
)

_MONTH_NAMES_BY_LANGUAGE = {
    language: tuple(names.split())
    for language, names in (
        ("nl", "januari februari maart april mei juni juli augustus september oktober "
               "november december"),
        ("fr", "janvier février mars avril mai juin juillet août septembre octobre "
               "novembre décembre"),
        ("en", "January February March April May June July August September October "
               "November December"),
    )
}  # fmt: skip

_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")


def _language(language: str | None) -> str:
    code = (language or "").strip().lower()[:2]
    return code if code in _MONTH_NAMES_BY_LANGUAGE else "en"


def _month_from_word(word: str) -> int | None:
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) < 4:
        return None
    # Misspellings ("febuari", "feburary", "setembre"): accept only an unambiguous guess.
    matches = difflib.get_close_matches(word, _FUZZY_MONTH_NAMES, n=5, cutoff=0.8)
    months = {_MONTHS[m] for m in matches}
    return months.pop() if len(months) == 1 else None


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _split(text: str) -> tuple[list[str], int | None] | None:
    """The numbers in the text and the month given as a word, or None for unknown words."""
    numbers: list[str] = []
    month: int | None = None
    for token in _TOKEN.findall(fold_accents(normalize_digits(text))):
        if token.isdigit():
            numbers.append(token)
        elif token in _FILLER:
            continue
        else:
            word_month = _month_from_word(token)
            if word_month is None or month is not None:
                return None
            month = word_month
    return numbers, month


def _fields(text: str) -> tuple[str, str, str] | None:
    """(day, month, year) as digit strings, or None when the text is not a date form."""
    split = _split(text)
    if split is None:
        return None
    numbers, month = split
    if month is not None:
        if len(numbers) != 2:
            return None
        first, second = numbers
        if len(first) == 4 and len(second) <= 2:  # "1985 march 12"
            return second, str(month), first
        return first, str(month), second  # "12 maart 1985", "march 12, 1985"
    if len(numbers) == 3:
        first, second, third = numbers
        if len(first) == 4:  # ISO 1985-03-12
            return third, second, first
        return first, second, third  # day first, as in Belgium
    if len(numbers) == 1 and len(numbers[0]) in (6, 8):  # 12031985, 120385
        digits = numbers[0]
        return digits[:2], digits[2:4], digits[4:]
    return None


def parse_birth_date(
    text: str | None,
    language: str = "nl",
    today: date | None = None,
    *,
    min_age: int = MIN_AGE,
    max_age: int = MAX_AGE,
) -> ValidationResult:
    """Parse a birth date typed in any of nl/fr/en, whatever `language` the chat is in.

    Numeric forms are read day first ("12/03/1985", "12-3-1985", "12.03.85", "12 03 1985")
    except ISO ("1985-03-12"). A two-digit year is put in this century when that date is
    not in the future, else in the previous one ("85" -> 1985, "05" -> 2005).

    value:   datetime.date.
    details: age (int), two_digit_year (bool); on errors, the date when one was read.
    """
    if not isinstance(text, str) or is_blank_or_noise(text):
        return ValidationResult.invalid("empty")
    today = today or date.today()
    text = remove_invisible(text)
    if len(text.strip()) > _MAX_INPUT:
        return ValidationResult.invalid("format")
    fields = _fields(text)
    if fields is None:
        return ValidationResult.invalid("format")
    day_text, month_text, year_text = fields
    if len(day_text) > 2 or len(month_text) > 2 or len(year_text) not in (2, 4):
        return ValidationResult.invalid("format")

    day, month, year = int(day_text), int(month_text), int(year_text)
    two_digit_year = len(year_text) == 2
    if two_digit_year:
        # This century unless that is not a (past) date; the previous century otherwise.
        year += 2000
        if not _exists(year, month, day) or date(year, month, day) > today:
            year -= 100
    try:
        born = date(year, month, day)
    except ValueError:
        return ValidationResult.invalid("impossible")

    if born > today:
        return ValidationResult.invalid("future", date=born)
    age = _age(born, today)
    if age < min_age:
        return ValidationResult.invalid("too_young", date=born, age=age)
    if age > max_age:
        return ValidationResult.invalid("too_old", date=born, age=age)
    return ValidationResult.valid(born, age=age, two_digit_year=two_digit_year)


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def matches_national_number(
    birth_date: date | None, national_number: ValidationResult | Mapping[str, Any] | None
) -> bool:
    """Whether a birth date agrees with the one encoded in a validated national/BIS number.

    `national_number` is the result of `validate_national_number` or its details. When the
    number does not encode the full date (some BIS numbers, unknown dates) only the year
    is compared when known; with nothing known the answer is True: do not block.
    """
    details = (
        national_number.details
        if isinstance(national_number, ValidationResult)
        else national_number
    )
    if birth_date is None or not isinstance(details, Mapping):
        return True
    encoded = details.get("birth_date")
    if isinstance(encoded, date):
        return encoded == birth_date
    encoded_year = details.get("birth_year")
    if isinstance(encoded_year, int):
        return encoded_year == birth_date.year
    return True


def format_date(d: date, language: str = "nl") -> str:
    """A date for a summary: "12 maart 1985", "12 mars 1985" ("1er mars"), "12 March 1985"."""
    lang = _language(language)
    month = _MONTH_NAMES_BY_LANGUAGE[lang][d.month - 1]
    day = "1er" if lang == "fr" and d.day == 1 else str(d.day)
    return f"{day} {month} {d.year}"

"""Every common way to write a citizen's personal data, to look for it in log files.

A value leaks whatever its spelling: as typed, as normalised by the validators, with or
without separators, in JSON (non-ASCII letters escaped), without accents. Search is
case-insensitive. Spellings short enough to occur by chance in a log (a six-digit date,
a name part under four letters) are left out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

NUMBER_SEPARATORS = ("", ".", " ", "-", "/")
DATE_SEPARATORS = (".", "/", "-", " ")
MONTH_NAMES = {  # nl, fr, en, full and abbreviated
    1: ("januari", "janvier", "january", "jan", "janv"),
    2: ("februari", "février", "fevrier", "february", "feb", "févr", "fevr"),
    3: ("maart", "mars", "march", "mrt", "mar"),
    4: ("april", "avril", "apr", "avr"),
    5: ("mei", "mai", "may"),
    6: ("juni", "juin", "june", "jun"),
    7: ("juli", "juillet", "july", "jul", "juil"),
    8: ("augustus", "août", "aout", "august", "aug"),
    9: ("september", "septembre", "sep", "sept"),
    10: ("oktober", "octobre", "october", "okt", "oct"),
    11: ("november", "novembre", "nov"),
    12: ("december", "décembre", "decembre", "dec", "déc"),
}


def _variants(text: str) -> set[str]:
    """`text`, without accents, and JSON-escaped (ensure_ascii, as json.dumps writes)."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return {text, folded, json.dumps(text)[1:-1]}


def national_number_spellings(digits: str) -> set[str]:
    """85073003328, 85.07.30-033.28, 85 07 30 033 28, 850730-033-28, ..."""
    groups = (digits[0:2], digits[2:4], digits[4:6], digits[6:9], digits[9:11])
    found = {sep.join(groups) for sep in NUMBER_SEPARATORS}
    found.add(f"{groups[0]}.{groups[1]}.{groups[2]}-{groups[3]}.{groups[4]}")
    birth, serial, check = "".join(groups[:3]), groups[3], groups[4]
    found |= {sep.join((birth, serial, check)) for sep in NUMBER_SEPARATORS}
    return found


def phone_spellings(e164: str) -> set[str]:
    """+32471234567 as 0471 23 45 67, 0471/23.45.67, 0032471234567, 471234567, ..."""
    assert e164.startswith("+32"), e164
    subscriber = e164[3:]  # 471234567
    groups = (subscriber[:3], subscriber[3:5], subscriber[5:7], subscriber[7:])
    found = {subscriber, "0" + subscriber, e164, "0032" + subscriber}
    for sep in NUMBER_SEPARATORS:
        grouped = sep.join(groups)
        found |= {grouped, "0" + grouped, f"+32 {grouped}", f"0032 {grouped}"}
    found.add(f"0{groups[0]}/{groups[1]}.{groups[2]}.{groups[3]}")
    found.add(f"+32 (0){groups[0]} {groups[1]} {groups[2]} {groups[3]}")
    return found


def date_spellings(day: date) -> set[str]:
    """1972-11-19, 19/11/1972, 19.11.72, 19111972, 11/19/1972, 19 november 1972, ..."""
    d, m, y = day.day, day.month, day.year
    found = {f"{y}{m:02}{d:02}", f"{d:02}{m:02}{y}"}
    for sep in DATE_SEPARATORS:
        for dd, mm in ((f"{d:02}", f"{m:02}"), (str(d), str(m))):
            for yy in (str(y), f"{y % 100:02}"):
                found.add(sep.join((dd, mm, yy)))
                found.add(sep.join((mm, dd, yy)))  # the US order
            found.add(sep.join((str(y), mm, dd)))
    for month in MONTH_NAMES[m]:
        for written in (f"{d} {month} {y}", f"{month} {d} {y}", f"{month} {d}, {y}"):
            found |= _variants(written)
        found |= _variants(f"{d:02} {month} {y}")
    return found


def name_spellings(*names: str) -> set[str]:
    """The full name, each part of four letters or more, with and without accents."""
    found: set[str] = set()
    full = " ".join(names)
    found |= _variants(full)
    for part in re.split(r"[\s\-']+", full):
        if len(part) >= 4:
            found |= _variants(part)
    return found


def email_spellings(email: str) -> set[str]:
    local = email.split("@", 1)[0]
    return {email, email.replace("@", "%40"), email.replace("@", "\\u0040"), local}


@dataclass(frozen=True)
class Leak:
    file: str
    value: str
    context: str


def find_leaks(file: str, text: str, spellings: set[str]) -> list[Leak]:
    """Every spelling found in `text`, case-insensitively, with what surrounds it."""
    leaks: list[Leak] = []
    lowered = text.lower()
    for spelling in sorted(spellings, key=len, reverse=True):
        start = lowered.find(spelling.lower())
        if start >= 0:
            context = text[max(0, start - 120) : start + len(spelling) + 120]
            leaks.append(Leak(file, spelling, context.replace("\n", "⏎")))
    return leaks

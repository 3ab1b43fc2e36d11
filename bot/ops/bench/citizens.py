"""Simulated citizens: who they are and what they will answer, all of it valid.

`CitizenFactory(seed).make(index)` gives citizen number `index` of a run: a language
(nl, fr, en), a task (registration or document request) and a complete set of answers
typed the way people type them (several spellings of the same number, date or phone).

Every citizen of a run has its own national register number: the agency refuses a
second registration with the same number (409), which would make the conversation end
without a reference. The number is built from a birth date and a sequence number with
the official check digits (97 - n mod 97, with a leading 2 for births from 2000), and the
birth date the citizen gives later is the one the number encodes (the form checks that).
Distinctness: index i maps to day (i * 7919 + offset) mod SPAN of a 56-year range (a
bijection, 7919 being prime and not a divisor of SPAN) and to the sequence number from
i // SPAN, so two indices below 997 * SPAN never share a number.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from bot.tasks.fields import DELIVERY_METHODS, DOCUMENT_TYPES

LANGUAGES = ("nl", "fr", "en")
REGISTRATION = "registration"
DOCUMENT = "document"

FIRST_BIRTH_DATE = date(1950, 1, 1)
LAST_BIRTH_DATE = date(2005, 12, 31)
SPAN = (LAST_BIRTH_DATE - FIRST_BIRTH_DATE).days + 1
_DAY_STEP = 7919  # prime; SPAN is not a multiple of it


def _listed(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(","))


GIVEN_NAMES = {
    "nl": _listed("Jan, Lotte, Pieter, Sofie, Wim, Els, Tom, Bart, Katrien, Lien"),
    "fr": _listed(
        "Fatima, Marie, Julien, Nathalie, Olivier, Sarah, Mohamed, Camille, Luc, Isabelle"
    ),
    "en": _listed("Ahmed, Sarah, John, Maria, David, Emma, Omar, Anna, James, Olivia"),
}
FAMILY_NAMES = {
    "nl": _listed(
        "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, De Smet"
    ),
    "fr": _listed(
        "Dubois, Lambert, Dupont, Martin, El Amrani, Leroy, Simon, Laurent, Lejeune, Renard"
    ),
    "en": _listed("Yilmaz, Smith, Kowalski, Brown, Nowak, Garcia, Taylor, Novak, Wilson, Ivanova"),
}
# Postcodes people of each language are likely to live at (every agency appears).
POSTCODES = {
    "nl": _listed("9000, 2000, 3000, 8000, 3500, 2800, 1000, 1030"),
    "fr": _listed("4000, 5000, 6000, 7000, 1000, 1050, 1030, 4700"),
    "en": _listed("1000, 1030, 1050, 2000, 9000, 4000, 3000"),
}
MONTHS = {
    "nl": _listed(
        "januari, februari, maart, april, mei, juni, juli, augustus, september, "
        "oktober, november, december"
    ),
    "fr": _listed(
        "janvier, février, mars, avril, mai, juin, juillet, août, septembre, "
        "octobre, novembre, décembre"
    ),
    "en": _listed(
        "january, february, march, april, may, june, july, august, september, "
        "october, november, december"
    ),
}
GREETINGS = {"nl": ("hallo", "goeiedag", "dag"), "fr": ("bonjour", "salut"), "en": ("hello", "hi")}
OPENERS = {
    REGISTRATION: {
        "nl": (
            "ik wil mij inschrijven als werkzoekende",
            "ik wil mij inschrijven",
            "inschrijven als werkzoekende",
        ),
        "fr": ("je voudrais m'inscrire comme demandeur d'emploi", "je veux m'inscrire"),
        "en": ("i want to register as a jobseeker", "register as job seeker"),
    },
    DOCUMENT: {
        "nl": ("ik wil een document aanvragen",),
        "fr": ("je veux demander un document",),
        "en": ("i need a document",),
    },
}
YES = {
    "nl": ("ja dat klopt", "ja"),
    "fr": ("oui c'est correct", "oui"),
    "en": ("yes that is correct", "yes"),
}
OCCUPATIONS = {
    "nl": ("kok", "poetshulp", "vrachtwagenchauffeur", "verkoper"),
    "fr": ("aide-soignante", "cuisinier", "chauffeur", "vendeuse"),
    "en": ("warehouse worker", "cook", "driver", "cleaner"),
}
STATUS_QUESTIONS = {
    "nl": "hoe ver staat mijn aanvraag {reference}",
    "fr": "où en est ma demande {reference}",
    "en": "what is the status of {reference}",
}
EDUCATION_LEVELS = ("primary", "secondary", "secondary", "higher")
BUTTON_OCCUPATIONS = ("cleaning", "construction", "care", "kitchen", "shop", "warehouse")


def national_number(birth: date, sequence: int) -> str:
    """The 11 digits of a national register number (sequence 1-997)."""
    if not 1 <= sequence <= 997:
        raise ValueError("the sequence number is 001-997")
    body = f"{birth:%y%m%d}{sequence:03d}"
    base = int(body) + (2_000_000_000 if birth.year >= 2000 else 0)
    return body + f"{97 - base % 97:02d}"


@dataclass(frozen=True)
class Citizen:
    """One simulated citizen and every answer they will type or tap."""

    index: int
    language: str
    task: str
    greeting: str
    opener: str  # a sentence, or a task button's payload
    national_number: str  # the 11 digits
    national_number_text: str  # as typed
    birth_date: date
    birth_date_text: str
    given_name: str
    family_name: str
    postcode: str
    phone_text: str
    email: str | None
    education_level: str
    occupation_text: str | None  # typed; None: taps the button below
    occupation_button: str
    document_type: str
    delivery: str
    yes_text: str | None  # typed; None: taps the button


class CitizenFactory:
    """Citizens for one run: the same seed gives the same citizens."""

    def __init__(self, seed: int = 2026) -> None:
        self.seed = seed
        self._offset = (seed * 131) % SPAN

    def birth_and_sequence(self, index: int) -> tuple[date, int]:
        day = (index * _DAY_STEP + self._offset) % SPAN
        sequence = 1 + ((index // SPAN) * 101 + 16) % 997
        return FIRST_BIRTH_DATE + timedelta(days=day), sequence

    def make(self, index: int) -> Citizen:
        # bandit B311: Reproducible made-up test data, not a secret.
        rng = random.Random(self.seed * 1_000_003 + index)  # nosec B311
        # Over 9 consecutive citizens: every language with both tasks, 1 in 3 a document.
        task = DOCUMENT if index % 3 == 1 else REGISTRATION
        language = LANGUAGES[(index + index // 3) % 3]
        birth, sequence = self.birth_and_sequence(index)
        number = national_number(birth, sequence)
        given = rng.choice(GIVEN_NAMES[language])
        family = rng.choice(FAMILY_NAMES[language])
        delivery = rng.choice(DELIVERY_METHODS)
        has_email = delivery == "email" if task == DOCUMENT else rng.random() < 0.5
        opener = rng.choice(OPENERS[task][language])
        if rng.random() < 0.25:  # taps the task's button instead of typing
            opener = "/register_jobseeker" if task == REGISTRATION else "/request_document"
        return Citizen(
            index=index,
            language=language,
            task=task,
            greeting=rng.choice(GREETINGS[language]),
            opener=opener,
            national_number=number,
            national_number_text=_spell_number(number, rng),
            birth_date=birth,
            birth_date_text=_spell_date(birth, language, rng),
            given_name=given,
            family_name=family,
            postcode=rng.choice(POSTCODES[language]),
            phone_text=_spell_phone(rng),
            email=_email(given, family, rng) if has_email else None,
            education_level=rng.choice(EDUCATION_LEVELS),
            occupation_text=(rng.choice(OCCUPATIONS[language]) if rng.random() < 0.5 else None),
            occupation_button=rng.choice(BUTTON_OCCUPATIONS),
            document_type=rng.choice(DOCUMENT_TYPES),
            delivery=delivery,
            yes_text=rng.choice(YES[language]) if rng.random() < 0.5 else None,
        )


def _spell_number(number: str, rng: random.Random) -> str:
    spellings = (
        number,
        f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}",
        f"{number[:2]} {number[2:4]} {number[4:6]} {number[6:9]} {number[9:]}",
    )
    return rng.choice(spellings)


def _spell_date(birth: date, language: str, rng: random.Random) -> str:
    month = MONTHS[language][birth.month - 1]
    written = (
        f"{month} {birth.day} {birth.year}"
        if language == "en"
        else f"{birth.day} {month} {birth.year}"
    )
    spellings = (f"{birth:%d/%m/%Y}", f"{birth.day}/{birth.month}/{birth.year}", written)
    return rng.choice(spellings)


def _spell_phone(rng: random.Random) -> str:
    prefix = rng.choice(
        (
            "470",
            "471",
            "472",
            "475",
            "476",
            "477",
            "478",
            "479",
            "484",
            "485",
            "486",
            "487",
            "488",
            "489",
            "490",
            "491",
            "492",
            "493",
            "494",
            "495",
            "496",
            "497",
            "498",
            "499",
        )
    )
    a, b, c = (f"{rng.randrange(100):02d}" for _ in range(3))
    spellings = (
        f"0{prefix} {a} {b} {c}",
        f"0{prefix}{a}{b}{c}",
        f"+32 {prefix} {a} {b} {c}",
        f"0032 {prefix} {a} {b} {c}",
        f"0{prefix}/{a}.{b}.{c}",
    )
    return rng.choice(spellings)


def _email(given: str, family: str, rng: random.Random) -> str:
    local = f"{given}.{family}".lower().replace(" ", "")
    return f"{local}{rng.randrange(10, 99)}@example.be"

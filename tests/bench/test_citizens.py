"""The simulated citizens' answers are all valid, and every citizen is somebody else."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.ops.bench.citizens import (
    DOCUMENT,
    LANGUAGES,
    REGISTRATION,
    SPAN,
    CitizenFactory,
    national_number,
)
from bot.understanding.answers import is_acceptable_occupation
from bot.validators import (
    matches_national_number,
    parse_birth_date,
    validate_email,
    validate_name,
    validate_national_number,
    validate_phone,
    validate_postcode,
)

CITIZENS = [CitizenFactory(2026).make(index) for index in range(600)]


def test_the_check_digits_follow_the_rule_for_both_centuries():
    from datetime import date

    assert national_number(date(1985, 7, 30), 33) == "85073003328"  # the README's example
    assert national_number(date(2001, 1, 1), 1) == "01010100126"  # born in 2000 or later
    with pytest.raises(ValueError):
        national_number(date(1985, 7, 30), 998)


@pytest.mark.parametrize("citizen", CITIZENS[:120], ids=lambda c: f"citizen-{c.index}")
def test_every_answer_is_one_the_form_accepts(citizen):
    number = validate_national_number(citizen.national_number_text)
    assert number.value == citizen.national_number
    birth = parse_birth_date(citizen.birth_date_text, citizen.language)
    assert birth.value == citizen.birth_date
    assert matches_national_number(birth.value, number)
    assert validate_phone(citizen.phone_text).value
    assert validate_postcode(citizen.postcode).value == citizen.postcode
    assert validate_name(citizen.given_name).value == citizen.given_name
    assert validate_name(citizen.family_name).value == citizen.family_name
    if citizen.email:
        assert validate_email(citizen.email).value == citizen.email
    if citizen.occupation_text:
        assert is_acceptable_occupation(citizen.occupation_text)
    if citizen.task == DOCUMENT and citizen.delivery == "email":
        assert citizen.email, "a document by e-mail needs an address"


def test_every_citizen_has_a_national_number_of_their_own():
    factory = CitizenFactory(7)
    numbers = [factory.make(i).national_number for i in range(0, 3 * SPAN, 97)]
    assert len(set(numbers)) == len(numbers)
    assert len({c.national_number for c in CITIZENS}) == len(CITIZENS)


def test_languages_and_tasks_are_mixed_and_reproducible():
    mix = Counter((c.language, c.task) for c in CITIZENS[:9])
    assert set(mix) == {(lang, task) for lang in LANGUAGES for task in (REGISTRATION, DOCUMENT)}
    assert sum(1 for c in CITIZENS if c.task == DOCUMENT) == len(CITIZENS) // 3
    assert CitizenFactory(2026).make(42) == CITIZENS[42]
    assert CitizenFactory(2027).make(42) != CITIZENS[42]

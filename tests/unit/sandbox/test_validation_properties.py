"""The agency's body validation (the sandbox): never an error on any JSON, reasons that
never repeat what was sent, and it accepts every value the assistant's validators accept."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.validation import describe, validate_document_request, validate_registration
from bot.understanding.answers import occupation_answer
from bot.validators import (
    parse_birth_date,
    validate_email,
    validate_name,
    validate_national_number,
    validate_phone,
    validate_postcode,
)
from tests.agency_support import document_request, registration
from tests.unit.strategies import PROFILE, hostile_text

REGISTRATION_FIELDS = sorted(registration())
DOCUMENT_FIELDS = sorted({*document_request(), "delivery", "given_name", "family_name", "postcode"})
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text(max_size=40),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
marker = st.text(alphabet="0123456789abcdef", min_size=12, max_size=12).map(lambda h: f"ZQ{h}")


@PROFILE
@given(
    data=st.dictionaries(st.sampled_from(REGISTRATION_FIELDS), json_values, max_size=12),
    extra=st.dictionaries(st.text(max_size=10), json_values, max_size=3),
)
def test_any_registration_body_is_validated_without_error(data: dict, extra: dict) -> None:
    clean, errors = validate_registration({**extra, **data})
    assert set(clean) == set(REGISTRATION_FIELDS)
    assert set(errors) <= set(REGISTRATION_FIELDS)
    assert isinstance(describe(errors), str)


@PROFILE
@given(data=st.dictionaries(st.sampled_from(DOCUMENT_FIELDS), json_values, max_size=10))
def test_any_document_request_body_is_validated_without_error(data: dict) -> None:
    clean, errors = validate_document_request(data)
    assert set(errors) <= set(clean)


@PROFILE
@given(
    secret=marker,
    text=hostile_text(max_size=30),
    field=st.sampled_from(REGISTRATION_FIELDS),
)
def test_a_reason_never_repeats_the_value_sent(secret: str, text: str, field: str) -> None:
    for value in (secret + text, text + secret, [secret], {"x": secret}):
        _, errors = validate_registration(registration(**{field: value}))
        assert secret not in describe(errors)
        _, errors = validate_document_request(document_request(**{field: value}))
        assert secret not in describe(errors)


NAMES = st.sampled_from(["daan", "VAN DEN BROECK", "Nguyễn", "O’Brien", "el-amrani", "王"])


def national_number(born: date, counter: int, month_offset: int) -> str:
    first_nine = f"{born:%y}{born.month + month_offset:02d}{born:%d}{counter:03d}"
    base = int(("2" if born.year >= 2000 else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


@PROFILE
@given(
    born=st.dates(min_value=date(1920, 1, 1), max_value=date(2008, 1, 1)),
    counter=st.integers(min_value=1, max_value=998),
    month_offset=st.sampled_from([0, 20, 40]),
    given_name=st.one_of(NAMES, hostile_text(max_size=30)),
    family_name=st.one_of(NAMES, hostile_text(max_size=30)),
    occupation=hostile_text(max_size=90),
    email=st.sampled_from(["An.Peeters@Example.ORG", " <jan@telenet.be> ", "x+y@ugent.be"]),
    phone=st.sampled_from(["0470 12 34 56", "+32 2 123 45 67", "0032 9 234 56 78"]),
    postcode=st.sampled_from(["9000", "B-1000", "4700 Eupen", "6700"]),
)
def test_every_answer_the_assistant_accepts_the_agency_accepts(
    born: date,
    counter: int,
    month_offset: int,
    given_name: str,
    family_name: str,
    occupation: str,
    email: str,
    phone: str,
    postcode: str,
) -> None:
    checks = {
        "national_number": validate_national_number(national_number(born, counter, month_offset)),
        "given_name": validate_name(given_name),
        "family_name": validate_name(family_name),
        "birth_date": parse_birth_date(born.strftime("%d/%m/%Y"), "nl"),
        "postcode": validate_postcode(postcode),
        "phone": validate_phone(phone),
        "email": validate_email(email),
    }
    values = {field: result.value for field, result in checks.items() if result.ok}
    if "birth_date" in values:
        values["birth_date"] = values["birth_date"].isoformat()
    answer = occupation_answer(occupation)
    if answer is not None:
        values["occupation"] = answer
    _, errors = validate_registration(registration(**values))
    assert errors == {}, (values, errors)

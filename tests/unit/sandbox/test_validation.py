"""The sandbox's validators, without HTTP."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.be import bis, nn

from bot.geo import all_postcodes
from bot.sandbox import validation
from bot.sandbox.validation import (
    EXPECTED_DAYS,
    expected_days,
    mask_national_number,
    validate_document_request,
    validate_registration,
)
from bot.tasks import fields
from tests.agency_support import document_request, registration


def test_the_agency_accepts_exactly_the_values_the_assistant_offers():
    # Two sides of one contract, kept apart on purpose (see bot/sandbox/validation.py).
    assert set(validation.EDUCATION_LEVELS) == set(fields.EDUCATION_LEVELS)
    assert set(validation.DOCUMENT_TYPES) == set(fields.DOCUMENT_TYPES)
    assert set(validation.DELIVERY_METHODS) == set(fields.DELIVERY_METHODS)


def test_a_complete_registration_is_valid_and_normalised():
    clean, errors = validate_registration(
        registration(given_name="  Anne   Marie ", national_number="90.01.01-001.23")
    )
    assert errors == {}
    assert clean["given_name"] == "Anne Marie"
    assert clean["national_number"] == "90010100123"
    assert clean["birth_date"].isoformat() == "1990-01-01"


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_national_number_accepted_exactly_when_stdnum_accepts(number):
    _, errors = validate_registration(registration(national_number=number))
    assert ("national_number" not in errors) == (nn.is_valid(number) or bis.is_valid(number))


@settings(max_examples=100, deadline=None, database=None)
@given(st.sampled_from(all_postcodes()))
def test_every_known_postcode_is_accepted(postcode):
    _, errors = validate_registration(registration(postcode=postcode))
    assert errors == {}


def test_expected_days_table():
    assert EXPECTED_DAYS == {
        "jobseeker_certificate": 1,
        "residence_certificate": 2,
        "household_composition": 2,
        "criminal_record_extract": 3,
        "birth_certificate": 5,
    }
    assert expected_days("birth_certificate", "post") == 7
    assert expected_days("birth_certificate", "counter") == 5


def test_document_request_minimal_and_email_rule():
    minimal = {"document_type": "birth_certificate", "national_number": "90010100123"}
    _, errors = validate_document_request({**minimal, "delivery": "counter"})
    assert errors == {}
    _, errors = validate_document_request({**minimal, "delivery": "email"})
    assert list(errors) == ["email"]
    _, errors = validate_document_request(document_request())
    assert errors == {}


def test_mask_keeps_only_the_check_digits():
    assert mask_national_number("90010100123") == "*********23"

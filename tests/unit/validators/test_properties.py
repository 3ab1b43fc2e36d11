"""Property tests: generated valid input always validates; random junk never raises."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.validators import (
    ValidationResult,
    format_date,
    is_blank_or_noise,
    masked_national_number,
    parse_birth_date,
    truncate_for_processing,
    validate_email,
    validate_name,
    validate_national_number,
    validate_phone,
    validate_postcode,
)

TODAY = date(2025, 6, 1)
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ERRORS = {
    validate_national_number: {"empty", "format", "checksum", "birth_date", "future"},
    parse_birth_date: {"empty", "format", "impossible", "future", "too_young", "too_old"},
    validate_postcode: {"empty", "format", "unknown"},
    validate_phone: {"empty", "format", "invalid", "not_belgian"},
    validate_email: {"empty", "format", "typo"},
    validate_name: {"empty", "digits", "symbols", "too_long", "too_short", "sentence"},
}


def national_number(born: date, counter: int, month_offset: int = 0) -> str:
    first_nine = f"{born:%y}{born.month + month_offset:02d}{born:%d}{counter:03d}"
    base = int(("2" if born.year >= 2000 else "") + first_nine)
    return f"{first_nine}{97 - base % 97:02d}"


separators = st.sampled_from(["", " ", ".", "-", " - "])


@PROFILE
@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    counter=st.integers(min_value=1, max_value=998),
    sep=separators,
)
def test_generated_national_numbers_validate_and_round_trip(
    born: date, counter: int, sep: str
) -> None:
    number = national_number(born, counter)
    typed = sep.join([number[0:2], number[2:4], number[4:6], number[6:9], number[9:11]])
    result = validate_national_number(typed, today=TODAY)
    assert result.ok, (typed, result)
    assert result.value == number
    assert result.details["birth_date"] == born
    assert result.details["is_bis"] is False
    assert result.details["formatted"] == (
        f"{number[0:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:11]}"
    )
    assert masked_national_number(number) == f"••.••.••-•••.{number[-2:]}"


@PROFILE
@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    counter=st.integers(min_value=1, max_value=998),
    offset=st.sampled_from([20, 40]),
)
def test_generated_bis_numbers_validate_and_round_trip(
    born: date, counter: int, offset: int
) -> None:
    number = national_number(born, counter, month_offset=offset)
    result = validate_national_number(number, today=TODAY)
    assert result.ok, (number, result)
    assert result.details["is_bis"] is True
    assert result.details["birth_date"] == born


@PROFILE
@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    counter=st.integers(min_value=1, max_value=998),
    wrong=st.integers(min_value=1, max_value=96),
)
def test_a_wrong_check_number_is_always_caught(born: date, counter: int, wrong: int) -> None:
    number = national_number(born, counter)
    check = (int(number[-2:]) + wrong - 1) % 97 + 1  # another value in 1..97
    # The check number of the same digits read in the other century is a valid number.
    other_century = 97 - int(("" if born.year >= 2000 else "2") + number[:9]) % 97
    assume(check != other_century)
    result = validate_national_number(f"{number[:-2]}{check:02d}", today=TODAY)
    assert not result.ok
    assert result.error == "checksum"


@PROFILE
@given(
    born=st.dates(min_value=date(1905, 6, 2), max_value=date(2010, 6, 1)),
    language=st.sampled_from(["nl", "fr", "en"]),
    typed_in=st.sampled_from(["nl", "fr", "en"]),
)
def test_formatted_dates_parse_back_in_any_chat_language(
    born: date, language: str, typed_in: str
) -> None:
    result = parse_birth_date(format_date(born, typed_in), language, today=TODAY)
    assert result.ok, result
    assert result.value == born


@PROFILE
@given(
    born=st.dates(min_value=date(1905, 6, 2), max_value=date(2010, 6, 1)),
    pattern=st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]),
)
def test_numeric_dates_parse_back(born: date, pattern: str) -> None:
    assert parse_birth_date(born.strftime(pattern), "nl", today=TODAY).value == born


@PROFILE
@given(born=st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2200, 1, 1)))
def test_future_dates_are_refused(born: date) -> None:
    assert parse_birth_date(born.strftime("%d/%m/%Y"), "nl", today=TODAY).error == "future"


@PROFILE
@given(
    prefix=st.sampled_from(["45", "46", "47", "48", "49"]),
    rest=st.integers(min_value=0, max_value=9_999_999),
    international=st.booleans(),
)
def test_generated_belgian_mobiles_validate(prefix: str, rest: int, international: bool) -> None:
    digits = f"{prefix}{rest:07d}"
    typed = f"+32 {digits}" if international else f"0{digits}"
    result = validate_phone(typed)
    assert result.ok, (typed, result)
    assert result.value == f"+32{digits}"
    assert result.details["is_mobile"] is True


def _check_result(result: ValidationResult, codes: set[str]) -> None:
    assert isinstance(result, ValidationResult)
    if result.ok:
        assert result.error is None
    else:
        assert result.error in codes
        assert result.value is None


@PROFILE
@given(text=st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    _check_result(validate_national_number(text, today=TODAY), ERRORS[validate_national_number])
    _check_result(validate_national_number(text), ERRORS[validate_national_number])
    for language in ("nl", "fr", "en", "xx"):
        _check_result(parse_birth_date(text, language, today=TODAY), ERRORS[parse_birth_date])
    _check_result(validate_postcode(text), ERRORS[validate_postcode])
    _check_result(validate_phone(text), ERRORS[validate_phone])
    _check_result(validate_email(text), ERRORS[validate_email])
    _check_result(validate_email(text, check_typos=False), ERRORS[validate_email])
    _check_result(validate_name(text), ERRORS[validate_name])
    assert isinstance(is_blank_or_noise(text), bool)
    assert masked_national_number(text).startswith("••.••.••-•••.")


junk_alphabet = st.sampled_from(list("0123456789 .-/+@,'’()abcdefgéèûmrtsB<>😀\u200d\u0301\u00a0٣"))


@PROFILE
@given(text=st.text(alphabet=junk_alphabet, max_size=80))
def test_number_like_junk_never_raises(text: str) -> None:
    for validate in (validate_national_number, validate_postcode, validate_phone):
        _check_result(validate(text), ERRORS[validate])
    _check_result(parse_birth_date(text, "fr", today=TODAY), ERRORS[parse_birth_date])
    _check_result(validate_email(text), ERRORS[validate_email])
    _check_result(validate_name(text), ERRORS[validate_name])


@PROFILE
@given(text=st.text(max_size=2000), limit=st.integers(min_value=-5, max_value=600))
def test_truncation_is_a_bounded_prefix(text: str, limit: int) -> None:
    cut = truncate_for_processing(text, limit=limit)
    assert len(cut) <= max(limit, 0)
    assert text.strip().startswith(cut)


@PROFILE
@given(text=st.text(max_size=80))
def test_valid_names_are_stable(text: str) -> None:
    first = validate_name(text)
    if first.ok:
        again = validate_name(first.value)
        assert again.ok
        assert again.value == first.value


@PROFILE
@given(text=st.text(max_size=60))
def test_valid_emails_revalidate_to_themselves(text: str) -> None:
    first = validate_email(text)
    if first.ok and first.value is not None:
        assert validate_email(first.value).value == first.value

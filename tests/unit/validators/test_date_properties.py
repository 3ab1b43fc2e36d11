"""Birth dates: every way a valid date is written is read back as that date; the date
shown in a summary is read back too; dates that cannot be a birth date are refused."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.validators import MAX_AGE, MIN_AGE, format_date, parse_birth_date
from tests.unit.strategies import PROFILE, hostile_text

TODAY = date(2025, 6, 1)
LANGUAGES = st.sampled_from(["nl", "fr", "en"])
# Born at least MIN_AGE and at most MAX_AGE years before TODAY.
adults = st.dates(min_value=date(1905, 6, 2), max_value=date(2010, 6, 1))
NUMERIC = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d", "%d%m%Y", "%d. %m. %Y"]


@PROFILE
@given(born=adults, language=LANGUAGES, typed_in=LANGUAGES)
def test_the_date_of_a_summary_is_read_back_in_any_chat_language(
    born: date, language: str, typed_in: str
) -> None:
    shown = format_date(born, typed_in)
    result = parse_birth_date(shown, language, today=TODAY)
    assert result.ok, (shown, result)
    assert result.value == born
    assert result.details["age"] == (
        TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
    )


@PROFILE
@given(
    born=adults,
    pattern=st.sampled_from(NUMERIC),
    padding=st.sampled_from(["", " ", "  \n"]),
    prefix=st.sampled_from(["", "geboren op ", "né le ", "born on ", "dob: "]),
)
def test_numeric_dates_are_read_day_first(
    born: date, pattern: str, padding: str, prefix: str
) -> None:
    text = f"{padding}{prefix}{born.strftime(pattern)}{padding}"
    result = parse_birth_date(text, "nl", today=TODAY)
    assert result.ok, (text, result)
    assert result.value == born
    # The stored form (ISO) is accepted again as the same date.
    assert parse_birth_date(result.value.isoformat(), "fr", today=TODAY).value == born


@PROFILE
@given(
    born=st.dates(min_value=date(1925, 6, 2), max_value=date(2010, 6, 1)),
    pattern=st.sampled_from(["%d/%m/%y", "%d.%m.%y", "%d-%m-%y", "%d%m%y"]),
)
def test_a_two_digit_year_is_the_last_one_that_makes_a_past_date(born: date, pattern: str) -> None:
    # Within the last hundred years the two digits name exactly one past year.
    result = parse_birth_date(born.strftime(pattern), "en", today=TODAY)
    assert result.ok, (born, result)
    assert (result.value, result.details["two_digit_year"]) == (born, True)


# Where the capital and the small letters of a "fancy font" keyboard start.
FANCY_STYLES = {
    "bold": (0x1D400, 0x1D41A),
    "sans bold": (0x1D5D4, 0x1D5EE),
    "wide": (0xFF21, 0xFF41),
}


@PROFILE
@given(born=adults, style=st.sampled_from(sorted(FANCY_STYLES)))
def test_a_month_in_a_fancy_font_is_read(born: date, style: str) -> None:
    capitals, smalls = FANCY_STYLES[style]

    def fancy(ch: str) -> str:
        if ch.isascii() and ch.isupper():
            return chr(capitals + ord(ch) - ord("A"))
        if ch.isascii() and ch.islower():
            return chr(smalls + ord(ch) - ord("a"))
        return ch

    text = "".join(fancy(ch) for ch in format_date(born, "en"))  # "𝟏𝟐 𝐌𝐚𝐫𝐜𝐡 𝟏𝟗𝟖𝟓"
    assert parse_birth_date(text, "nl", today=TODAY).value == born


@PROFILE
@given(born=st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2200, 1, 1)))
def test_dates_after_today_are_refused(born: date) -> None:
    result = parse_birth_date(born.strftime("%d/%m/%Y"), "nl", today=TODAY)
    assert result.error == "future"
    assert result.details["date"] == born


@PROFILE
@given(born=st.dates(min_value=date(1000, 1, 1), max_value=TODAY))
def test_the_age_decides_between_accepted_too_young_and_too_old(born: date) -> None:
    result = parse_birth_date(born.isoformat(), "en", today=TODAY)
    age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
    if age < MIN_AGE:
        assert result.error == "too_young"
    elif age > MAX_AGE:
        assert result.error == "too_old"
    else:
        assert result.ok and result.value == born


@PROFILE
@given(
    day=st.integers(min_value=1, max_value=40),
    month=st.integers(min_value=1, max_value=15),
    year=st.integers(min_value=1950, max_value=2000),
)
def test_days_and_months_that_do_not_exist_are_impossible(day: int, month: int, year: int) -> None:
    result = parse_birth_date(f"{day}/{month}/{year}", "nl", today=TODAY)
    try:
        date(year, month, day)
    except ValueError:
        assert result.error == "impossible"
    else:
        assert result.ok


@PROFILE
@given(text=hostile_text(), language=st.sampled_from(["nl", "fr", "en", "", "de", "xx"]))
def test_an_accepted_date_is_a_real_birth_date(text: str, language: str) -> None:
    result = parse_birth_date(text, language, today=TODAY)
    if result.ok:
        assert isinstance(result.value, date)
        assert MIN_AGE <= result.details["age"] <= MAX_AGE
        assert parse_birth_date(format_date(result.value, "fr"), "nl", today=TODAY).value == (
            result.value
        )

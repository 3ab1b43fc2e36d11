"""Office hours per agency, in Europe/Brussels, configurable through HANDOFF_OFFICE_HOURS."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.handoff import office_hours
from bot.handoff.office_hours import next_opening, office_hours_open
from bot.settings import OFFICE_HOURS_ENV, load_settings

BRUSSELS = ZoneInfo("Europe/Brussels")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def no_override(monkeypatch):
    monkeypatch.delenv("HANDOFF_OFFICE_HOURS", raising=False)


def test_europe_brussels_loads():
    assert at(2026, 7, 1, 12).utcoffset().total_seconds() == 7200  # summer time
    assert at(2026, 1, 5, 12).utcoffset().total_seconds() == 3600


@pytest.mark.parametrize("agency", [None, "VDAB", "Actiris", "Le Forem", "le forem", "ADG", "X"])
def test_weekday_daytime_is_open_by_default(agency):
    assert office_hours_open(at(2026, 11, 24, 10, 30), agency)  # a Tuesday


def test_opening_and_closing_edges():
    assert office_hours_open(at(2026, 11, 24, 9, 0))
    assert not office_hours_open(at(2026, 11, 24, 8, 59))
    assert office_hours_open(at(2026, 11, 24, 16, 59))
    assert not office_hours_open(at(2026, 11, 24, 17, 0))


def test_evening_and_weekend_are_closed():
    assert not office_hours_open(at(2026, 11, 24, 20, 0))
    assert not office_hours_open(at(2026, 11, 28, 11, 0))  # Saturday
    assert not office_hours_open(at(2026, 11, 29, 11, 0))  # Sunday


def test_utc_and_naive_times_are_converted_to_brussels():
    # 08:30 UTC in winter is 09:30 in Brussels.
    assert office_hours_open(datetime(2026, 11, 24, 8, 30, tzinfo=timezone.utc))
    assert office_hours_open(datetime(2026, 11, 24, 8, 30))  # naive = UTC
    assert not office_hours_open(datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc))


def test_next_opening_is_now_when_open():
    now = at(2026, 11, 24, 10, 0)
    assert next_opening(now) == now


def test_next_opening_in_the_morning_and_evening():
    assert next_opening(at(2026, 11, 24, 7, 0)) == at(2026, 11, 24, 9, 0)
    assert next_opening(at(2026, 11, 24, 18, 0)) == at(2026, 11, 25, 9, 0)


def test_next_opening_across_a_weekend():
    for now in (at(2026, 11, 27, 17, 0), at(2026, 11, 28, 12, 0), at(2026, 11, 29, 23, 59)):
        opening = next_opening(now)
        assert opening == at(2026, 11, 30, 9, 0)
        assert opening.weekday() == 0 and opening.tzinfo is not None


def test_next_opening_across_a_daylight_saving_change():
    # Sunday 29 March 2026 clocks go forward; Monday opens at 09:00 summer time.
    opening = next_opening(at(2026, 3, 27, 18, 0))
    assert opening == at(2026, 3, 30, 9, 0)
    assert opening.utcoffset().total_seconds() == 7200


def test_per_agency_override(monkeypatch):
    week = {"mon": ["08:30", "16:30"], "tue": ["08:30", "16:30"], "sat": ["10:00", "12:00"]}
    monkeypatch.setenv("HANDOFF_OFFICE_HOURS", json.dumps({"VDAB": week}))
    assert office_hours_open(at(2026, 11, 24, 8, 45), "VDAB")
    assert not office_hours_open(at(2026, 11, 24, 8, 45), "Actiris")
    assert not office_hours_open(at(2026, 11, 24, 16, 45), "vdab")
    assert office_hours_open(at(2026, 11, 24, 16, 45), "ADG")
    assert office_hours_open(at(2026, 11, 28, 11, 0), "VDAB")  # Saturday
    assert not office_hours_open(at(2026, 11, 26, 11, 0), "VDAB")  # Thursday: not listed
    assert next_opening(at(2026, 11, 24, 17, 0), "VDAB") == at(2026, 11, 28, 10, 0)
    assert next_opening(at(2026, 11, 24, 17, 0), "Le Forem") == at(2026, 11, 25, 9, 0)


def test_default_override_applies_to_unknown_agencies(monkeypatch):
    monkeypatch.setenv("HANDOFF_OFFICE_HOURS", '{"default": {"wed": ["13:00", "15:00"]}}')
    assert office_hours_open(at(2026, 11, 25, 14, 0))
    assert not office_hours_open(at(2026, 11, 24, 14, 0), "elsewhere")
    assert office_hours_open(at(2026, 11, 24, 14, 0), "VDAB")  # keeps its default


@pytest.mark.parametrize(
    "raw",
    [
        "not json",
        "[1, 2]",
        '{"VDAB": {"moon": ["09:00", "17:00"]}}',
        '{"VDAB": {"mon": ["17:00", "09:00"]}}',
        '{"VDAB": {"mon": ["nine", "five"]}}',
        '{"VDAB": ["09:00", "17:00"]}',
    ],
)
def test_invalid_configuration_is_refused_clearly(monkeypatch, raw):
    monkeypatch.setenv("HANDOFF_OFFICE_HOURS", raw)
    with pytest.raises(ValueError, match="HANDOFF_OFFICE_HOURS"):
        office_hours_open(at(2026, 11, 24, 10, 0))


def test_an_agency_that_never_opens_has_no_next_opening(monkeypatch):
    monkeypatch.setenv("HANDOFF_OFFICE_HOURS", '{"ADG": {}}')
    assert not office_hours_open(at(2026, 11, 24, 10, 0), "ADG")
    with pytest.raises(ValueError):
        next_opening(at(2026, 11, 24, 10, 0), "ADG")


def test_open_until_23_59_includes_the_last_minute_of_the_day(monkeypatch):
    week = {day: ["00:00", "23:59"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    monkeypatch.setenv("HANDOFF_OFFICE_HOURS", json.dumps({"default": week}))
    assert office_hours_open(at(2026, 12, 1, 23, 59, 30))
    assert office_hours_open(at(2026, 12, 2, 0, 0, 0))
    assert next_opening(at(2026, 12, 1, 23, 59, 59)) == at(2026, 12, 1, 23, 59, 59)


def test_the_schedule_comes_from_the_settings(monkeypatch):
    raw = '{"default": {"sat": ["10:00", "12:00"]}}'
    monkeypatch.setenv(OFFICE_HOURS_ENV, raw)
    assert load_settings().handoff_office_hours == raw
    assert office_hours.office_schedules() == office_hours.office_schedules(raw)
    assert office_hours.office_schedules()[""] != office_hours.office_schedules("")[""]
    assert office_hours_open(at(2026, 11, 28, 11, 0))  # a Saturday

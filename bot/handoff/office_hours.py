"""When counsellors work, per agency, in Europe/Brussels.

Mon–Fri 09:00–17:00 for every agency unless the setting `handoff_office_hours`
(HANDOFF_OFFICE_HOURS, see bot/settings.py) says otherwise. Public holidays are not
known yet.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.geo import AGENCIES
from bot.settings import OFFICE_HOURS_ENV, load_settings

OFFICE_TIMEZONE = "Europe/Brussels"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_DAY = ("09:00", "17:00")
DEFAULT_WEEK: dict[str, tuple[str, str]] = {day: DEFAULT_DAY for day in WEEKDAYS[:5]}
END_OF_DAY = time(23, 59)

Schedule = dict[int, tuple[time, time]]  # weekday (0 = Monday) -> (opens, closes)


def office_timezone() -> ZoneInfo:
    return ZoneInfo(OFFICE_TIMEZONE)


def _agency_key(agency: str | None) -> str:
    return (agency or "").strip().casefold().replace("é", "e")


def _parse_week(raw: dict, where: str) -> Schedule:
    if not isinstance(raw, dict):
        raise ValueError(f"{OFFICE_HOURS_ENV}: {where} must map days to [opens, closes]")
    week: Schedule = {}
    for day, hours in raw.items():
        day_key = str(day).strip().lower()[:3]
        if day_key not in WEEKDAYS:
            raise ValueError(f"{OFFICE_HOURS_ENV}: {where}: unknown day {day!r}")
        if hours in (None, [], "closed"):
            continue
        try:
            opens, closes = (time.fromisoformat(str(value)) for value in hours)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f'{OFFICE_HOURS_ENV}: {where}.{day_key} must be ["HH:MM", "HH:MM"]'
            ) from error
        if opens >= closes:
            raise ValueError(f"{OFFICE_HOURS_ENV}: {where}.{day_key} closes before it opens")
        week[WEEKDAYS.index(day_key)] = (opens, closes)
    return week


def office_schedules(raw_json: str | None = None) -> dict[str, Schedule]:
    """Schedules by agency key ('' is the default), from the defaults and the setting.

    `raw_json` defaults to the setting `handoff_office_hours` (HANDOFF_OFFICE_HOURS). An
    agency in the JSON replaces that agency's whole week (days left out are closed); the
    key "default" replaces the schedule used for agency=None and unknown agencies.
    """
    raw_json = load_settings().handoff_office_hours if raw_json is None else raw_json
    schedules = {"": _parse_week(DEFAULT_WEEK, "default")}
    for agency in AGENCIES:
        schedules[_agency_key(agency)] = _parse_week(DEFAULT_WEEK, agency)
    if raw_json.strip():
        try:
            overrides = json.loads(raw_json)
        except json.JSONDecodeError as error:
            raise ValueError(f"{OFFICE_HOURS_ENV} is not valid JSON: {error}") from error
        if not isinstance(overrides, dict):
            raise ValueError(f"{OFFICE_HOURS_ENV} must be a JSON object of agencies")
        for agency, week in overrides.items():
            key = "" if _agency_key(agency) == "default" else _agency_key(agency)
            schedules[key] = _parse_week(week, str(agency))
    return schedules


def _schedule_for(agency: str | None) -> Schedule:
    schedules = office_schedules()
    return schedules.get(_agency_key(agency), schedules[""])


def _local(now: datetime) -> datetime:
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(office_timezone())


def office_hours_open(now: datetime, agency: str | None = None) -> bool:
    """Whether counsellors of `agency` work at `now` (naive datetimes are taken as UTC)."""
    local = _local(now)
    hours = _schedule_for(agency).get(local.weekday())
    if hours is None:
        return False
    start, end = hours
    moment = local.time().replace(tzinfo=None)
    if end == END_OF_DAY:  # "until 23:59" means until midnight, its last minute included
        return start <= moment
    return start <= moment < end


def next_opening(now: datetime, agency: str | None = None) -> datetime:
    """`now` when open, else the next opening time (Europe/Brussels, timezone-aware)."""
    local = _local(now)
    if office_hours_open(local, agency):
        return local
    schedule = _schedule_for(agency)
    if not schedule:
        raise ValueError(f"no office hours are configured for {agency or 'the default'}")
    zone = office_timezone()
    for offset in range(8):
        day: date = local.date() + timedelta(days=offset)
        hours = schedule.get(day.weekday())
        if hours is None:
            continue
        opening = datetime.combine(day, hours[0], tzinfo=zone)
        if opening > local:
            return opening
    raise AssertionError("unreachable: a configured week always opens within 8 days")

"""How the citizen is told when counsellors are back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.handoff.texts import clock, opening_phrase
from bot.i18n.catalog import get_catalog

CATALOG = get_catalog()
BRUSSELS_MONDAY_NOON = datetime(2026, 11, 23, 11, 0, tzinfo=timezone.utc)  # 12:00 local


@pytest.mark.parametrize(
    ("language", "today", "tomorrow", "later"),
    [
        ("en", "today at 14:00", "tomorrow at 09:00", "on Thursday at 09:00"),
        ("nl", "vandaag om 14:00", "morgen om 09:00", "op donderdag om 09:00"),
        ("fr", "aujourd'hui à 14h00", "demain à 9h00", "jeudi à 9h00"),
    ],
)
def test_opening_phrase_says_today_tomorrow_or_the_day(language, today, tomorrow, later):
    now = BRUSSELS_MONDAY_NOON
    at = lambda days, hour: (now + timedelta(days=days)).replace(hour=hour - 1)  # noqa: E731
    assert opening_phrase(at(0, 14), now, language, CATALOG) == today
    assert opening_phrase(at(1, 9), now, language, CATALOG) == tomorrow
    assert opening_phrase(at(3, 9), now, language, CATALOG) == later


def test_clock_is_written_the_belgian_way():
    moment = datetime(2026, 1, 1, 9, 5)
    assert clock(moment, "fr") == "9h05" and clock(moment, "nl") == "09:05"

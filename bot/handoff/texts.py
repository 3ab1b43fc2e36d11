"""Words the citizen reads about a handoff: when counsellors are back."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.handoff.office_hours import office_timezone
from bot.i18n.catalog import Catalog


def clock(moment: datetime, language: str) -> str:
    """09:00 in Dutch and English, 9h00 in French (as Belgians write it)."""
    if language == "fr":
        return f"{moment.hour}h{moment.minute:02d}"
    return f"{moment.hour:02d}:{moment.minute:02d}"


def opening_phrase(opening: datetime, now: datetime, language: str, catalog: Catalog) -> str:
    """'today at 13:00', 'tomorrow at 09:00' or 'on Monday at 09:00', in Brussels time."""
    zone = office_timezone()
    local_opening = opening.astimezone(zone)
    today = now.astimezone(zone).date()
    time_text = clock(local_opening, language)
    if local_opening.date() == today:
        return catalog.text("handoff_when_today", language, time=time_text)
    if local_opening.date() == today + timedelta(days=1):
        return catalog.text("handoff_when_tomorrow", language, time=time_text)
    day = catalog.text(f"weekday_{local_opening.weekday()}", language)
    return catalog.text("handoff_when_day", language, day=day, time=time_text)

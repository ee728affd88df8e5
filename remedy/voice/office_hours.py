"""Office hours, when "speak to someone" is forwarded to the team: ``REMEDY_OFFICE_HOURS``
such as ``mon-fri 08:00-17:00`` (days optional: every day), in ``REMEDY_TIMEZONE``.
Unset or unreadable: never, so the caller leaves a message instead of ringing nobody."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

from remedy.core.settings import settings

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PATTERN = re.compile(
    r"^\s*(?:(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+)?"
    r"(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})\s*$"
)


def in_office_hours(now: datetime, hours: str | None = None) -> bool:
    config = settings().voice
    match = PATTERN.match((config.office_hours if hours is None else hours).lower())
    if match is None:
        return False
    local = now.astimezone(ZoneInfo(config.timezone))
    first = match["first"] or "mon"
    last = match["last"] or (first if match["first"] else "sun")
    if first not in DAYS or last not in DAYS:
        return False
    if not DAYS.index(first) <= local.weekday() <= DAYS.index(last):
        return False
    start, end = (time.fromisoformat(match[key].zfill(5)) for key in ("start", "end"))
    return start <= local.time().replace(tzinfo=None) < end

"""Counts kept with the time they were computed, shared by every process.

Counting a million grievances takes seconds (the time per stage reads the audit log);
the figures barely move in minutes. So the counts of a period are kept in
``statistics_snapshots`` and computed again only once older than
``REMEDY_STATISTICS_MAX_AGE`` (15 minutes by default); the page says "Figures as of ...".
A table rather than the process's memory: every process then shows the same figures, and
a new process does not count again. The worker counts again once the kept counts are
half that age (``refresh``, a periodic job), so a request seldom finds them stale and
seldom pays for counting (seconds with a million grievances: bench/README.md). Two
processes that find the row stale at once both count and the last write wins; both
wrote correct figures.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import durable
from remedy.models.statistics_snapshot import StatisticsSnapshot
from remedy.models.types import utcnow
from remedy.statistics.counts import ALL_TIME, Period, count_all


def fresh_counts(
    period: Period = ALL_TIME, now: datetime | None = None
) -> tuple[datetime, dict[str, Any]]:
    """(when computed, counts) of ``period``: kept ones if fresh enough, else new ones."""
    now = now or utcnow()
    kept = db.session.get(StatisticsSnapshot, period.key)
    if kept is not None and now - kept.computed_at < settings().statistics_max_age:
        return kept.computed_at, kept.counts
    counts = count_all(period, now)
    _keep(period, now, counts)
    return now, counts


def refresh(now: datetime | None = None) -> bool:
    """Periodic (the worker): count all time again once the kept counts are half their
    max age old; whether it counted."""
    now = now or utcnow()
    kept = db.session.get(StatisticsSnapshot, ALL_TIME.key)
    if kept is not None and now - kept.computed_at < settings().statistics_max_age / 2:
        return False
    _keep(ALL_TIME, now, count_all(ALL_TIME, now))
    return True


def _keep(period: Period, now: datetime, counts: dict[str, Any]) -> None:
    try:
        with durable():
            kept = db.session.get(StatisticsSnapshot, period.key)
            if kept is None:
                db.session.add(
                    StatisticsSnapshot(period=period.key, computed_at=now, counts=counts)
                )
            else:
                kept.computed_at, kept.counts = now, counts
    except IntegrityError:
        # Another process kept the same period meanwhile: its figures are as good.
        db.session.rollback()

"""Trends (UNGP 31): how many grievances, by root cause, region, organisation, channel
and month, received within a period. Counts only: no text, no person, no place as typed.

Places are encrypted, so a region is counted through the place blind index
(:mod:`remedy.identity.place_index`): a grievance is in a region when its place holds every
word of one of the region names configured in ``REMEDY_REGIONS``; nothing else of a place
is ever shown. Every count is one aggregate query, on SQLite and PostgreSQL alike, scoped
to the grievances the reader may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, func, select, union

from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.identity.place_index import matching_place
from remedy.identity.visibility import visible_grievances
from remedy.models.grievance import Channel, Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.organisation import Organisation
from remedy.models.root_cause import GrievanceRootCause, RootCause
from remedy.models.user import Role

READERS = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.HANDLER, Role.AUDITOR})
DEFAULT_DAYS = 365
MAX_DAYS = 3660
DIMENSIONS = ("root_cause", "region", "organisation", "channel", "month")
NONE_KEY = "(none)"


def may_read_trends(actor: Actor) -> bool:
    """The mechanism's own staff: an organisation's staff would count others' cases."""
    return actor.kind is ActorKind.STAFF and actor.organisation_id is None and actor.role in READERS


@dataclass(frozen=True)
class Period:
    """Grievances received from ``start`` to ``end``, both days included."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        first = datetime.combine(self.start, time.min, tzinfo=UTC)
        return first, datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)


def parse_day(text: str | None, field: str) -> date | None:
    """A date typed year-month-day (None when blank); anything else is a clear error."""
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(
            _("Write the date as year-month-day, such as 2027-03-31."), field
        ) from None


def parse_period(start: str | None, end: str | None, today: date) -> Period:
    """From the filter's text (YYYY-MM-DD); by default the last year. A bad date, an end
    before the start or a period over ten years is a clear error."""
    last = parse_day(end, "to") or today
    first = parse_day(start, "from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise InvalidInput(_("The period ends before it starts."), "from")
    if (last - first).days > MAX_DAYS:
        raise InvalidInput(_("Choose a period of at most ten years."), "from")
    return Period(first, last)


@dataclass(frozen=True)
class TrendRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Trends:
    period: Period
    total: int
    tables: dict[str, list[TrendRow]]


def _month() -> ColumnElement[Any]:
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Grievance.received_at), "YYYY-MM")
    return func.strftime("%Y-%m", Grievance.received_at)


def _in_period(actor: Actor, period: Period) -> Select[Any]:
    first, after = period.bounds()
    return select(Grievance.id).where(
        Grievance.received_at >= first, Grievance.received_at < after, visible_grievances(actor)
    )


def _grouped(ids: Select[Any], column: Any, *joins: Any) -> dict[Any, int]:
    counted = func.count(func.distinct(Grievance.id))
    query = select(column, counted).select_from(Grievance)
    for target, on in joins:
        query = query.join(target, on)
    query = query.where(Grievance.id.in_(ids)).group_by(column)
    return {key: int(count) for key, count in db.session.execute(query)}


def _root_causes(ids: Select[Any], total: int, language: str) -> list[TrendRow]:
    counts = _grouped(
        ids,
        GrievanceRootCause.root_cause_id,
        (GrievanceRootCause, GrievanceRootCause.grievance_id == Grievance.id),
    )
    causes = db.session.scalars(select(RootCause).order_by(RootCause.id))
    rows = [TrendRow(c.key, c.label_in(language), counts[c.id]) for c in causes if c.id in counts]
    with_cause = select(func.count(func.distinct(GrievanceRootCause.grievance_id))).where(
        GrievanceRootCause.grievance_id.in_(ids)
    )
    none = total - int(db.session.scalar(with_cause) or 0)
    return _ranked(rows) + ([TrendRow(NONE_KEY, _("No root cause recorded"), none)] if none else [])


def region_rows(ids: Select[Any], total: int) -> list[TrendRow]:
    """Empty when no region is configured (the page says how to list them). Also the
    public statistics' regions (``remedy.statistics.counts``)."""
    if not settings().regions:
        return []
    rows, matched = [], []
    for name in settings().regions:
        in_region = matching_place(name)
        if in_region is None:
            continue
        matched.append(in_region)
        counted = select(func.count()).where(Grievance.id.in_(ids), Grievance.id.in_(in_region))
        rows.append(TrendRow(name, name, int(db.session.scalar(counted) or 0)))
    in_any = 0
    if matched:
        any_region = union(*matched).subquery() if len(matched) > 1 else matched[0].subquery()
        counted = select(func.count()).where(
            Grievance.id.in_(ids), Grievance.id.in_(select(any_region.c[0]))
        )
        in_any = int(db.session.scalar(counted) or 0)
    rest = total - in_any
    outside = [TrendRow(NONE_KEY, _("Not in a listed region"), rest)] if rest else []
    return _ranked([row for row in rows if row.count]) + outside


def _organisations(ids: Select[Any], total: int) -> list[TrendRow]:
    counts = _grouped(
        ids,
        InvolvementTrack.organisation_id,
        (InvolvementTrack, InvolvementTrack.grievance_id == Grievance.id),
    )
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(counts))
        ).all()
    )
    rows = [TrendRow(str(key), names.get(key, str(key)), count) for key, count in counts.items()]
    with_track = select(func.count(func.distinct(InvolvementTrack.grievance_id))).where(
        InvolvementTrack.grievance_id.in_(ids)
    )
    none = total - int(db.session.scalar(with_track) or 0)
    no_track = [TrendRow(NONE_KEY, _("No organisation classified yet"), none)] if none else []
    return _ranked(rows) + no_track


def _ranked(rows: list[TrendRow]) -> list[TrendRow]:
    return sorted(rows, key=lambda row: (-row.count, row.label.casefold(), row.key))


def trends(actor: Actor, period: Period, language: str, labels: dict[Channel, str]) -> Trends:
    """Every table for the period; ``labels``: the channels' names in the reader's words."""
    if not may_read_trends(actor):
        raise NotAllowed(_("You may not read the trends."))
    ids = _in_period(actor, period)
    total = int(db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    channels = _grouped(ids, Grievance.channel)
    months = _grouped(ids, _month())
    tables = {
        "root_cause": _root_causes(ids, total, language),
        "region": region_rows(ids, total),
        "organisation": _organisations(ids, total),
        "channel": _ranked(
            [TrendRow(Channel(key).value, labels[Channel(key)], n) for key, n in channels.items()]
        ),
        "month": [TrendRow(str(key), str(key), months[key]) for key in sorted(months)],
    }
    return Trends(period, total, tables)

"""The counts behind the public statistics: aggregate SQL only, the same on SQLite and
PostgreSQL.

Every query groups in the database and returns a handful of rows; no grievance is read
one by one. What leaves here is plain data (lists of [key, count], seconds), so it can be
kept as JSON (``remedy.statistics.cache``) and turned into tables in any language later.

Which grievances count: those received in the period (a cohort), with their tracks,
check-ins and appeals. Time per stage is the exception: it is the stays that ended in the
period, read from the audit log by ``remedy.queue.workload.time_per_stage``.

Place: a grievance's place is free text (encrypted, searchable only through a keyed blind
index); Remedy records no region, so no figure by place is published (docs/statistics.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, distinct, exists, func, select

from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.models.appeal import Appeal
from remedy.models.audit_event import AuditEvent
from remedy.models.check_in import CheckIn, CheckInPurpose, CheckInResponse
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.mechanism_feedback import MechanismFeedback
from remedy.models.organisation import Organisation
from remedy.models.types import utcnow
from remedy.queue.trends import region_rows
from remedy.queue.workload import time_per_stage

# Every grievance counts for time per stage, as for the mechanism's own staff: only the
# medians and numbers of stays leave (the staff scope, never shown to anyone).
EVERYONE = Actor(ActorKind.STAFF, id="statistics")
ALL_TIME_SPAN = timedelta(days=365 * 100)


@dataclass(frozen=True)
class Period:
    """Grievances received from ``start`` (included) to ``end`` (excluded); None: open."""

    start: datetime | None = None
    end: datetime | None = None

    @property
    def key(self) -> str:
        def day(moment: datetime | None) -> str:
            return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if moment else "*"

        return f"{day(self.start)}..{day(self.end)}"

    def received(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.start is not None:
            found.append(Grievance.received_at >= self.start)
        if self.end is not None:
            found.append(Grievance.received_at < self.end)
        return found


ALL_TIME = Period()


def _pairs(rows: Any) -> list[list[Any]]:
    return [[None if key is None else str(key), int(count)] for key, count in rows]


def _in_period(period: Period) -> Any:
    return select(Grievance.id).where(*period.received())


def _months(period: Period) -> list[list[Any]]:
    """Received per calendar month (UTC): dates coarsened, never a day."""
    moment: Any = Grievance.received_at
    if db.session.get_bind().dialect.name == "postgresql":
        moment = func.timezone("UTC", Grievance.received_at)
    year, month = func.extract("year", moment), func.extract("month", moment)
    rows = db.session.execute(
        select(year, month, func.count())
        .where(*period.received())
        .group_by(year, month)
        .order_by(year, month)
    )
    return [[f"{int(y):04d}-{int(m):02d}", int(count)] for y, m, count in rows]


def _by(column: Any, period: Period) -> list[list[Any]]:
    return _pairs(
        db.session.execute(select(column, func.count()).where(*period.received()).group_by(column))
    )


def _organisations(period: Period) -> list[list[Any]]:
    """Grievances involving each organisation that agreed to be named; no one else."""
    named = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.publish_statistics.is_(True))
        .order_by(Organisation.name)
    ).all()
    if not named:
        return []
    counts = dict(
        db.session.execute(
            select(InvolvementTrack.organisation_id, func.count(distinct(Grievance.id)))
            .join(Grievance, Grievance.id == InvolvementTrack.grievance_id)
            .where(InvolvementTrack.organisation_id.in_([row.id for row in named]))
            .where(*period.received())
            .group_by(InvolvementTrack.organisation_id)
        ).all()
    )
    return [[row.name, int(counts.get(row.id, 0))] for row in named]


def _tracks(period: Period) -> Any:
    return select(InvolvementTrack.id).where(InvolvementTrack.grievance_id.in_(_in_period(period)))


def _track_outcomes(period: Period) -> list[list[Any]]:
    return _pairs(
        db.session.execute(
            select(InvolvementTrack.outcome, func.count())
            .where(InvolvementTrack.grievance_id.in_(_in_period(period)))
            .group_by(InvolvementTrack.outcome)
        )
    )


def _answers(period: Period, column: Any, *where: ColumnElement[bool]) -> list[list[Any]]:
    return _pairs(
        db.session.execute(
            select(column, func.count())
            .select_from(CheckInResponse)
            .join(CheckIn, CheckIn.id == CheckInResponse.check_in_id)
            .where(CheckIn.track_id.in_(_tracks(period)), *where)
            .group_by(column)
        )
    )


def _overdue(subject_type: str, subject_id: Any) -> ColumnElement[bool]:
    return exists().where(
        AuditEvent.subject_type == subject_type,
        AuditEvent.subject_id == subject_id,
        AuditEvent.action == "deadline.overdue",
    )


def _deadlines(period: Period) -> dict[str, list[int]]:
    """Ended grievances and tracks, and how many of them ever missed a deadline."""
    grievances = db.session.execute(
        select(
            func.count(),
            func.count(Grievance.id).filter(_overdue("grievance", Grievance.reference)),
        ).where(Grievance.ended_at.is_not(None), *period.received())
    ).one()
    track_id = cast(InvolvementTrack.id, String)
    tracks = db.session.execute(
        select(
            func.count(), func.count(InvolvementTrack.id).filter(_overdue("track", track_id))
        ).where(
            InvolvementTrack.ended_at.is_not(None),
            InvolvementTrack.grievance_id.in_(_in_period(period)),
        )
    ).one()
    return {
        "grievances": [int(grievances[0]), int(grievances[1])],
        "tracks": [int(tracks[0]), int(tracks[1])],
    }


def _appeals(period: Period) -> list[list[Any]]:
    return _pairs(
        db.session.execute(
            select(Appeal.result, func.count())
            .where(Appeal.grievance_id.in_(_in_period(period)))
            .group_by(Appeal.result)
        )
    )


def _fairness(period: Period) -> list[list[Any]]:
    """The people's answers to "how fair was the way we handled your complaint?" (1 to 5):
    one per person per grievance (a later answer replaced the earlier)."""
    return _pairs(
        db.session.execute(
            select(MechanismFeedback.score, func.count())
            .where(MechanismFeedback.grievance_id.in_(_in_period(period)))
            .group_by(MechanismFeedback.score)
        )
    )


def _stages(period: Period, now: datetime) -> list[list[Any]]:
    end = min(period.end or now, now)
    window = end - period.start if period.start else ALL_TIME_SPAN
    return [
        [stage.subject, stage.state, stage.stays, stage.median.total_seconds()]
        for stage in time_per_stage(EVERYONE, window, end)
    ]


def _regions(period: Period, total: int) -> list[list[Any]]:
    """By the regions listed in ``REMEDY_REGIONS``, matched through the place index (no
    place is decrypted); the rest under ``NONE_KEY``."""
    return [[row.key, row.count] for row in region_rows(_in_period(period), total)]


def count_all(period: Period = ALL_TIME, now: datetime | None = None) -> dict[str, Any]:
    """Every count the public statistics need, for grievances received in ``period``."""
    now = now or utcnow()
    delivery = and_(CheckIn.purpose == CheckInPurpose.DELIVERY, CheckIn.person_id.is_not(None))
    total = int(
        db.session.scalar(select(func.count()).select_from(Grievance).where(*period.received()))
        or 0
    )
    return {
        "total": total,
        "regions": _regions(period, total),
        "months": _months(period),
        "channels": _by(Grievance.channel, period),
        "categories": _by(Grievance.category, period),
        "organisations": _organisations(period),
        "states": _by(Grievance.state, period),
        "track_outcomes": _track_outcomes(period),
        "confirmations": _answers(period, CheckInResponse.answer, delivery),
        "satisfaction": _answers(
            period, CheckInResponse.satisfaction, CheckInResponse.satisfaction.is_not(None)
        ),
        "fairness": _fairness(period),
        "stages": _stages(period, now),
        "deadlines": _deadlines(period),
        "appeals": _appeals(period),
    }

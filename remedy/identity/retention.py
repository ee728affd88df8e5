"""Retention: a case's personal data is kept for a time after the case ends, then erased.

``REMEDY_RETENTION_DAYS`` says how long, counted from when the grievance entered an
ended state (``grievances.ended_at``; a reopened case starts again when it ends again):
one number of days for every case (1826, five years, by default), or a number per
outcome, with a bare number for the outcomes not named:
``REMEDY_RETENTION_DAYS=1826,not_remedied=3650,withdrawn=365``. A case with a track
still open is kept whatever its state. ``flask --app wsgi retention run`` and the daily
``retention`` job erase what is due (``remedy.identity.erasure``), one case per unit of
work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType

from sqlalchemy import ColumnElement, and_, exists, or_, select

from remedy.core.actors import SYSTEM, Actor
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import atomic
from remedy.identity.erasure import Erasure, erase_case
from remedy.models.grievance import Grievance, Outcome
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import utcnow

DEFAULT_RETENTION_DAYS = 1826
BATCH = 100


class RetentionPolicyError(ValueError):
    """``REMEDY_RETENTION_DAYS`` cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class RetentionPolicy:
    default_days: int
    by_outcome: Mapping[Outcome, int]

    def days_for(self, outcome: Outcome | None) -> int:
        if outcome is None:
            return self.default_days
        return self.by_outcome.get(outcome, self.default_days)


def _days(text: str, entry: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise RetentionPolicyError(
            f"REMEDY_RETENTION_DAYS: {entry.strip()!r} is not a positive number of days."
        )
    return int(text)


def parse_policy(text: str) -> RetentionPolicy:
    """``1826`` or ``1826,not_remedied=3650``; checked at start-up with a clear message."""
    default, by_outcome = DEFAULT_RETENTION_DAYS, {}
    known = {outcome.value: outcome for outcome in Outcome}
    for entry in (part for part in text.split(",") if part.strip()):
        name, _, days = entry.rpartition("=")
        if not name.strip():
            default = _days(days, entry)
            continue
        outcome = known.get(name.strip())
        if outcome is None:
            raise RetentionPolicyError(
                f"REMEDY_RETENTION_DAYS: {name.strip()!r} is not an outcome; "
                f"choose among {', '.join(known)}."
            )
        by_outcome[outcome] = _days(days, entry)
    return RetentionPolicy(default, MappingProxyType(by_outcome))


def policy() -> RetentionPolicy:
    return parse_policy(settings().retention_days)


def _ended_before(days: int, now: datetime) -> ColumnElement[bool]:
    return Grievance.ended_at <= now - timedelta(days=days)


def past_retention(now: datetime | None = None) -> ColumnElement[bool]:
    """Ended, every track ended, not yet erased, and kept its time for its outcome."""
    moment = now or utcnow()
    chosen = policy()
    named = list(chosen.by_outcome)
    by_outcome = [
        and_(Grievance.outcome == outcome, _ended_before(days, moment))
        for outcome, days in chosen.by_outcome.items()
    ]
    others = and_(
        or_(Grievance.outcome.is_(None), Grievance.outcome.not_in(named)),
        _ended_before(chosen.default_days, moment),
    )
    open_track = exists().where(
        InvolvementTrack.grievance_id == Grievance.id, InvolvementTrack.ended_at.is_(None)
    )
    return and_(
        Grievance.erased_at.is_(None),
        Grievance.ended_at.is_not(None),
        Grievance.state.in_(sorted(Grievance.ended_states)),
        ~open_track,
        or_(*by_outcome, others),
    )


def due_references(now: datetime | None = None) -> list[str]:
    return list(
        db.session.scalars(
            select(Grievance.reference).where(past_retention(now)).order_by(Grievance.ended_at)
        )
    )


def run_retention(actor: Actor = SYSTEM, now: datetime | None = None) -> list[Erasure]:
    """Erase every case past retention, each in a unit of work of its own: an error
    leaves the cases already erased erased, and the next run goes on."""
    done: list[Erasure] = []
    while True:
        batch = db.session.scalars(
            select(Grievance).where(past_retention(now)).order_by(Grievance.id).limit(BATCH)
        ).all()
        if not batch:
            return done
        for grievance in batch:
            with atomic():
                done.append(erase_case(actor, grievance, "retention"))


def retention_job() -> None:
    """The daily periodic job."""
    run_retention()

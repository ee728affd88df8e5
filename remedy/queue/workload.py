"""What a supervisor watches: overdue work, open work per handler, time per stage, outcomes.

Time per stage comes from the audit log, the one record of when each state was
entered: every workflow trigger, the filing of a grievance (``grievance.submit``), the
opening of a track (``track.open``) and its reclassification (``track.reclassify``) log
the state they lead to. A stay in a state lasts from the event that entered it to the
next such event of the same grievance or track. Only stays that ended within the window
count (a stay still going has no length yet); their median and their number are shown.
Everything is scoped by what the actor may see: an organisation's staff get their own
tracks and the grievances those belong to, and only the workload of people who may
work on those.

Outcomes count the grievances and tracks that ended in the window by how they ended, each
``Outcome`` apart: a track a supervisor closed without the people's confirmation is
"unconfirmed", never "remedied".
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, String, and_, case, cast, func, or_, select, tuple_

from remedy.cases.policy import CASE_WORKERS
from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.core.roles import ROLE_TITLES
from remedy.identity.visibility import visible_grievances
from remedy.models.audit_event import AuditEvent
from remedy.models.grievance import Grievance, Outcome
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import utcnow
from remedy.models.user import User
from remedy.queue.filters import OPEN_STATES, state_choices
from remedy.queue.search import due_key, scoped
from remedy.workflows import WORKFLOWS

STATE_EVENTS = ("grievance.submit", "track.open", "track.reclassify")
# A grievance is acknowledged in the unit of work that files it: no stay to measure.
TRANSIENT_STATES = ("received",)
DEFAULT_WINDOW = timedelta(days=90)
STAGE_TIMES_CACHE_SECONDS = 300


@dataclass(frozen=True)
class HandlerLoad:
    user_id: int
    label: str
    role: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Workload:
    handlers: list[HandlerLoad]
    unassigned_open: int
    unassigned_overdue: int


def workload(actor: Actor, now: datetime | None = None) -> Workload:
    """Open grievances per case worker (and nobody's), with how many are overdue."""
    now = now or utcnow()
    overdue = func.sum(case((due_key(actor) <= now, 1), else_=0))
    rows = db.session.execute(
        scoped(actor, Grievance.assigned_user_id, func.count(Grievance.id), overdue)
        .where(Grievance.state.in_(OPEN_STATES))
        .group_by(Grievance.assigned_user_id)
    ).all()
    counts = {row[0]: (int(row[1]), int(row[2] or 0)) for row in rows}
    same_organisation: ColumnElement[bool] = User.organisation_id.is_(None)
    if actor.kind is ActorKind.STAFF and actor.organisation_id is not None:
        same_organisation = or_(same_organisation, User.organisation_id == actor.organisation_id)
    workers = list(
        db.session.execute(
            select(User.id, User.display_name, User.email, User.role).where(
                User.active.is_(True), User.role.in_(CASE_WORKERS), same_organisation
            )
        )
    )
    known = {row.id for row in workers}
    # Someone no longer a case worker (or no longer active) may still hold grievances.
    others = [user_id for user_id in counts if user_id is not None and user_id not in known]
    if others:
        workers += db.session.execute(
            select(User.id, User.display_name, User.email, User.role).where(User.id.in_(others))
        ).all()
    handlers = [
        HandlerLoad(
            user_id=row.id,
            label=row.display_name or row.email,
            role=str(ROLE_TITLES[row.role]),
            open=counts.get(row.id, (0, 0))[0],
            overdue=counts.get(row.id, (0, 0))[1],
        )
        for row in workers
    ]
    handlers.sort(key=lambda load: (-load.overdue, -load.open, load.label))
    unassigned = counts.get(None, (0, 0))
    return Workload(handlers, unassigned[0], unassigned[1])


@dataclass(frozen=True)
class StageTime:
    subject: str  # "grievance" (intake) or "track"
    state: str
    label: str
    stays: int
    median: timedelta
    longest: timedelta


def is_state_event() -> ColumnElement[bool]:
    """Events that enter a state: filing, a track opened or reclassified, every trigger."""
    prefixes = [AuditEvent.action.startswith(f"{name}.") for name in WORKFLOWS]
    return or_(AuditEvent.action.in_(STATE_EVENTS), *prefixes)


def _visible_subjects(actor: Actor) -> ColumnElement[bool] | None:
    """Events of what the actor may see; None when that is everything."""
    if actor.kind is ActorKind.STAFF and actor.organisation_id is None:
        return None
    own_tracks = select(cast(InvolvementTrack.id, String)).where(
        InvolvementTrack.organisation_id == actor.organisation_id
    )
    visible = select(Grievance.reference).where(visible_grievances(actor))
    return or_(
        and_(AuditEvent.subject_type == "grievance", AuditEvent.subject_id.in_(visible)),
        and_(AuditEvent.subject_type == "track", AuditEvent.subject_id.in_(own_tracks)),
    )


def time_per_stage(
    actor: Actor, window: timedelta = DEFAULT_WINDOW, now: datetime | None = None
) -> list[StageTime]:
    """Median time spent in each intake and track state, over stays ended in the window.

    Reading a window of the audit log takes about a second with a million grievances, and
    a median over months barely moves in minutes: the figures are kept for
    ``STAGE_TIMES_CACHE_SECONDS`` per scope and window (not when ``now`` is given).
    """
    if now is not None:
        return _time_per_stage(actor, window, now)
    cache: dict[tuple[Any, ...], tuple[float, list[StageTime]]]
    cache = current_app.extensions.setdefault("remedy.stage_times", {})
    # Everyone of one kind and organisation sees the same figures.
    key = (actor.kind, actor.organisation_id, window)
    kept = cache.get(key)
    if kept is not None and time.monotonic() - kept[0] < STAGE_TIMES_CACHE_SECONDS:
        return kept[1]
    found = _time_per_stage(actor, window, utcnow())
    cache[key] = (time.monotonic(), found)
    return found


def _time_per_stage(actor: Actor, window: timedelta, now: datetime) -> list[StageTime]:
    since = now - window
    subject = (AuditEvent.subject_type, AuditEvent.subject_id)
    scope = _visible_subjects(actor)
    recent = select(*subject).where(is_state_event(), AuditEvent.occurred_at >= since)
    if scope is not None:
        recent = recent.where(scope)
    entered_at = AuditEvent.occurred_at
    left_at = func.lead(AuditEvent.occurred_at).over(partition_by=subject, order_by=AuditEvent.seq)
    postgres = db.session.get_bind().dialect.name == "postgresql"
    seconds: ColumnElement[Any]
    if postgres:
        seconds = func.extract("epoch", left_at - entered_at)
    else:
        seconds = (func.julianday(left_at) - func.julianday(entered_at)) * 86400.0
    stays = (
        select(
            AuditEvent.subject_type.label("subject_type"),
            AuditEvent.after["state"].as_string().label("state"),
            left_at.label("left_at"),
            seconds.label("seconds"),
        )
        .where(is_state_event(), tuple_(*subject).in_(recent))
        .subquery()
    )
    ended = [
        stays.c.left_at >= since,
        stays.c.state.is_not(None),
        stays.c.state.not_in(TRANSIENT_STATES),
    ]
    found: dict[tuple[str, str], tuple[int, float, float]] = {}
    if postgres:
        # The database takes the median: no stay leaves it.
        median = func.percentile_cont(0.5).within_group(stays.c.seconds)
        for row in db.session.execute(
            select(
                stays.c.subject_type,
                stays.c.state,
                func.count(),
                median,
                func.max(stays.c.seconds),
            )
            .where(*ended)
            .group_by(stays.c.subject_type, stays.c.state)
        ):
            found[(row[0], row[1])] = (int(row[2]), float(row[3]), float(row[4]))
    else:
        durations: dict[tuple[str, str], list[float]] = defaultdict(list)
        for row in db.session.execute(
            select(stays.c.subject_type, stays.c.state, stays.c.seconds).where(*ended)
        ):
            durations[(row[0], row[1])].append(float(row[2]))
        for key, values in durations.items():
            found[key] = (len(values), statistics.median(values), max(values))
    intake_states, track_states = state_choices()
    order = [("grievance", name, label) for name, label in intake_states]
    order += [("track", name, label) for name, label in track_states]
    return [
        StageTime(
            subject=kind,
            state=name,
            label=label,
            stays=found[(kind, name)][0],
            median=timedelta(seconds=round(found[(kind, name)][1])),
            longest=timedelta(seconds=round(found[(kind, name)][2])),
        )
        for kind, name, label in order
        if (kind, name) in found
    ]


@dataclass(frozen=True)
class OutcomeCount:
    outcome: Outcome
    grievances: int
    tracks: int


def outcomes(
    actor: Actor, window: timedelta = DEFAULT_WINDOW, now: datetime | None = None
) -> list[OutcomeCount]:
    """Grievances and tracks ended in the window, by outcome (every outcome, zeros too)."""
    since = (now or utcnow()) - window
    grievances = db.session.execute(
        scoped(actor, Grievance.outcome, func.count(Grievance.id))
        .where(Grievance.outcome.is_not(None), Grievance.ended_at >= since)
        .group_by(Grievance.outcome)
    ).all()
    tracks_query = (
        select(InvolvementTrack.outcome, func.count(InvolvementTrack.id))
        .join(Grievance, Grievance.id == InvolvementTrack.grievance_id)
        .where(
            visible_grievances(actor),
            InvolvementTrack.outcome.is_not(None),
            InvolvementTrack.ended_at >= since,
        )
        .group_by(InvolvementTrack.outcome)
    )
    if actor.kind is ActorKind.STAFF and actor.organisation_id is not None:
        tracks_query = tracks_query.where(InvolvementTrack.organisation_id == actor.organisation_id)
    by_grievance = {row[0]: int(row[1]) for row in grievances}
    by_track = {row[0]: int(row[1]) for row in db.session.execute(tracks_query)}
    return [
        OutcomeCount(outcome, by_grievance.get(outcome, 0), by_track.get(outcome, 0))
        for outcome in Outcome
    ]

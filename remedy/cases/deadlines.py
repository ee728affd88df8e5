"""The periodic deadline job: flag overdue work, tell supervisors and the complainant.

Each overdue item is handled once (``overdue_at`` is set) in its own unit of
work, so one failure or conflict never blocks the rest and a rerun repeats
nothing. Ended work has no deadline, so nothing fires on it. A complainant
who did not answer a question in time sends the grievance back to screening,
flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from remedy.audit import log as audit
from remedy.cases.check_ins import open_due_follow_ups
from remedy.cases.notify import notify_people, notify_staff
from remedy.cases.triggers import fire, state_label
from remedy.core.actors import SYSTEM
from remedy.core.errors import ConflictError
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.workflows import INTAKE
from remedy.workflows.states import IntakeState

PRE_FEEDBACK_STATES = (
    IntakeState.RECEIVED,
    IntakeState.SCREENING,
    IntakeState.AWAITING_COMPLAINANT,
    IntakeState.ASSESSMENT,
)


@dataclass(frozen=True)
class DeadlineReport:
    grievances_overdue: int
    tracks_overdue: int
    info_requests_expired: int
    follow_ups_opened: int
    conflicts: int


def _overdue(subject: Grievance | InvolvementTrack, grievance: Grievance, now: datetime) -> None:
    subject.overdue_at = now
    event = audit.record(
        SYSTEM,
        "deadline.overdue",
        "track" if isinstance(subject, InvolvementTrack) else "grievance",
        subject.id if isinstance(subject, InvolvementTrack) else grievance.reference,
        after={"state": subject.state},
    )
    organisation_id = subject.organisation_id if isinstance(subject, InvolvementTrack) else None
    notify_staff(
        grievance,
        "staff_overdue",
        f"a{event.seq}",
        organisation_id=organisation_id,
        values={"state": state_label(subject)},
    )
    notify_people(grievance, "delayed", f"a{event.seq}")
    grievance.updated_at = now


def run_deadlines(now: datetime | None = None) -> DeadlineReport:
    now = now or utcnow()
    ended = list(INTAKE.ended_states)
    grievances = db.session.scalars(
        select(Grievance.id).where(
            Grievance.state.not_in(ended),
            Grievance.overdue_at.is_(None),
            or_(
                Grievance.due_at <= now,
                (Grievance.feedback_due_at <= now) & Grievance.state.in_(PRE_FEEDBACK_STATES),
            ),
        )
    ).all()
    tracks = db.session.scalars(
        select(InvolvementTrack.id)
        .join(Grievance)
        .where(
            Grievance.state == IntakeState.IN_REMEDY,
            InvolvementTrack.overdue_at.is_(None),
            InvolvementTrack.due_at <= now,
            InvolvementTrack.ended_at.is_(None),
        )
    ).all()
    counts = {"grievances": 0, "tracks": 0, "expired": 0, "conflicts": 0}
    for grievance_id in grievances:
        try:
            with atomic():
                grievance = db.session.get(Grievance, grievance_id)
                if grievance is None or grievance.overdue_at is not None:
                    continue
                if (
                    grievance.state == IntakeState.AWAITING_COMPLAINANT
                    and grievance.due_at
                    and (grievance.due_at <= now)
                ):
                    fire(grievance, "info_overdue", SYSTEM)
                    # Flagged: it shows as overdue in the team's queue, and the team is told.
                    grievance.overdue_at = now
                    flagged = audit.record(
                        SYSTEM, "deadline.info_overdue", "grievance", grievance.reference
                    )
                    notify_staff(
                        grievance,
                        "staff_info_overdue",
                        f"a{flagged.seq}",
                        roles=(Role.SUPERVISOR, Role.HANDLER),
                    )
                    counts["expired"] += 1
                else:
                    _overdue(grievance, grievance, now)
                    counts["grievances"] += 1
        except ConflictError:
            counts["conflicts"] += 1
    for track_id in tracks:
        try:
            with atomic():
                track = db.session.get(InvolvementTrack, track_id)
                if track is None or track.overdue_at is not None or track.is_ended:
                    continue
                _overdue(track, track.grievance, now)
                counts["tracks"] += 1
        except ConflictError:
            counts["conflicts"] += 1
    follow_ups = open_due_follow_ups(now)
    return DeadlineReport(
        counts["grievances"], counts["tracks"], counts["expired"], follow_ups, counts["conflicts"]
    )

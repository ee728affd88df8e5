"""The rows of the team's queue: what a list may show of each grievance and its tracks,
and nothing that names anyone (pseudonyms only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from remedy.cases.sensitive import may_read_category
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.identity.visibility import may_see_reprisal_risk
from remedy.models.grievance import (
    Category,
    Channel,
    Grievance,
    ReprisalRisk,
    UrgencyFlag,
    parse_flags,
)
from remedy.models.grievance_person import GrievancePerson, PersonRole
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.organisation import Organisation
from remedy.models.person import Person
from remedy.models.user import User
from remedy.queue.filters import own_organisation, state_labels


@dataclass(frozen=True)
class QueueTrack:
    id: int
    kind: TrackKind
    state: str
    state_label: str
    organisation_id: int
    organisation_name: str
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class QueueItem:
    """One row of the queue: what a list may show, and nothing that names anyone."""

    id: int
    reference: str
    state: str
    state_label: str
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    severity: int | None
    reprisal_risk: ReprisalRisk | None  # None: not for this reader (may_see_reprisal_risk)
    identity_withheld: bool
    channel: Channel
    language: str
    category: Category | None
    assignee_id: int | None
    assignee_label: str | None
    version: int
    pseudonyms: tuple[str, ...] = ()
    urgency_flags: tuple[UrgencyFlag, ...] = ()
    priority: int = 0
    tracks: tuple[QueueTrack, ...] = ()
    # A sensitive case the reader is not cleared for: shown with a marker.
    restricted: bool = False

    @property
    def display_reference(self) -> str:
        return display(self.reference)

    @property
    def track_kinds(self) -> tuple[TrackKind, ...]:
        return tuple(dict.fromkeys(track.kind for track in self.tracks))


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem] = field(default_factory=list)
    next_cursor: str | None = None


def _label(workflow_states: dict[str, str], state: str) -> str:
    return workflow_states.get(state, state)


def queue_items(actor: Actor, ids: Sequence[int], now: datetime) -> list[QueueItem]:
    if not ids:
        return []
    own = own_organisation(actor)
    sees_risk = may_see_reprisal_risk(actor)
    intake_labels, track_labels = state_labels()
    grievances = {
        row.id: row
        for row in db.session.execute(
            select(
                Grievance.id,
                Grievance.reference,
                Grievance.state,
                Grievance.received_at,
                Grievance.due_at,
                Grievance.overdue_at,
                Grievance.next_due_at,
                Grievance.severity_scale,
                Grievance.severity_scope,
                Grievance.severity_irremediability,
                Grievance.reprisal_risk,
                Grievance.identity_withheld,
                Grievance.channel,
                Grievance.language,
                Grievance.category,
                Grievance.assigned_user_id,
                Grievance.version,
                Grievance.urgency_flags,
                Grievance.priority,
            ).where(Grievance.id.in_(ids))
        )
    }
    tracks: dict[int, list[QueueTrack]] = {}
    track_query = (
        select(
            InvolvementTrack.grievance_id,
            InvolvementTrack.id,
            InvolvementTrack.kind,
            InvolvementTrack.state,
            InvolvementTrack.organisation_id,
            Organisation.name,
            InvolvementTrack.due_at,
            InvolvementTrack.ended_at,
        )
        .join(Organisation, Organisation.id == InvolvementTrack.organisation_id)
        .where(InvolvementTrack.grievance_id.in_(ids))
        .order_by(InvolvementTrack.id)
    )
    if own is not None:
        track_query = track_query.where(InvolvementTrack.organisation_id == own)
    for track in db.session.execute(track_query):
        due = track.due_at if track.ended_at is None else None
        tracks.setdefault(track.grievance_id, []).append(
            QueueTrack(
                id=track.id,
                kind=track.kind,
                state=track.state,
                state_label=_label(track_labels, track.state),
                organisation_id=track.organisation_id,
                organisation_name=track.name,
                due_at=due,
                overdue=due is not None and due <= now,
            )
        )
    pseudonyms: dict[int, list[str]] = {}
    for grievance_id, pseudonym in db.session.execute(
        select(GrievancePerson.grievance_id, Person.pseudonym)
        .join(Person, Person.id == GrievancePerson.person_id)
        .where(GrievancePerson.grievance_id.in_(ids))
        .order_by(GrievancePerson.role != PersonRole.COMPLAINANT, Person.id)
    ):
        pseudonyms.setdefault(grievance_id, []).append(pseudonym)
    assignee_ids = {row.assigned_user_id for row in grievances.values()} - {None}
    assignees = user_labels(assignee_ids)
    items = []
    for grievance_id in ids:
        row = grievances[grievance_id]
        mine = tracks.get(grievance_id, [])
        # An organisation's staff: their own track's deadline, as the queue is sorted for them.
        due = (mine[0].due_at if mine else None) if own is not None else row.next_due_at
        severities = [
            value
            for value in (row.severity_scale, row.severity_scope, row.severity_irremediability)
            if value is not None
        ]
        items.append(
            QueueItem(
                id=row.id,
                reference=row.reference,
                state=row.state,
                state_label=_label(intake_labels, row.state),
                received_at=row.received_at,
                due_at=due,
                overdue=due is not None and due <= now,
                severity=max(severities) if severities else None,
                reprisal_risk=row.reprisal_risk if sees_risk else None,
                identity_withheld=row.identity_withheld,
                channel=row.channel,
                language=row.language,
                category=row.category,
                assignee_id=row.assigned_user_id,
                assignee_label=assignees.get(row.assigned_user_id),
                version=row.version,
                pseudonyms=tuple(pseudonyms.get(grievance_id, [])),
                urgency_flags=parse_flags(row.urgency_flags),
                priority=row.priority,
                tracks=tuple(mine),
                restricted=not may_read_category(actor, row.category),
            )
        )
    return items


def user_labels(user_ids: set[int]) -> dict[int, str]:
    """How team members are named in lists: their display name, else their work e-mail."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.display_name, User.email).where(User.id.in_(user_ids))
    )
    return {row.id: row.display_name or row.email for row in rows}

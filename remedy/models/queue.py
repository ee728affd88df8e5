"""What the console queue sorts and filters by, kept on the grievance row, and its indexes.

- ``Grievance.next_due_at`` is the earliest deadline of a grievance or of its open tracks
  (a flagged grievance counts from when it was flagged; before substantive feedback, the
  promised feedback date counts too). The queue sorts by it; "overdue" means it is past.
- ``Grievance.track_tags`` says what its tracks are (",kind:cause,state:planning,org:3,"),
  so filters on tracks read the grievance row instead of probing the tracks table once
  per row walked.

- ``Grievance.priority`` ranks urgent flags above every severity, then the severity
  (``remedy.models.grievance.priority_of``): the queue's priority order sorts by it.

All three are derived, and kept in step here, before every flush, from whatever changed a
state, a deadline, an overdue flag or a track: no service has to remember them. (Bulk
``UPDATE`` statements bypass the ORM and so this hook: none touches these fields.)

Places are encrypted, so they are searched through a blind index: one keyed hash per
normalised word (``remedy.identity.place_index``), never the words themselves.

Indexes: the queue walks one in its sort order and stops after a page, so a filter must
be checkable on the index entry itself. On PostgreSQL the sort indexes therefore carry
the filtered columns (``INCLUDE``): a walk is an index-only scan, never a heap fetch per
row. Open work, what the queue shows by default, has a partial index of its own.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import ForeignKey, Index, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from remedy.core.extensions import Model
from remedy.models.audit_event import AuditEvent
from remedy.models.grievance import Grievance, priority_of
from remedy.models.involvement_track import InvolvementTrack

# Before substantive feedback is given, its promised date is a deadline too (services/deadlines).
PRE_FEEDBACK_STATES = frozenset({"received", "screening", "awaiting_complainant", "assessment"})
OPEN_STATES = (
    "received",
    "screening",
    "awaiting_complainant",
    "assessment",
    "in_remedy",
    "under_review",
)
GRIEVANCE_FIELDS = (
    "state",
    "due_at",
    "overdue_at",
    "feedback_due_at",
    "urgency_flags",
    "severity_scale",
    "severity_scope",
    "severity_irremediability",
)
TRACK_FIELDS = ("state", "due_at", "overdue_at", "ended_at", "kind", "organisation_id")


class PlaceTerm(Model):
    """One word of a grievance's place, as a keyed hash: found by equality, never read back."""

    __tablename__ = "grievance_place_terms"
    __table_args__ = (Index("ix_grievance_place_terms_term", "term", "grievance_id"),)

    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(32), primary_key=True)


# The columns the queue filters on, carried by its sort indexes on PostgreSQL.
FILTERED = [
    "state",
    "severity_scale",
    "severity_scope",
    "severity_irremediability",
    "reprisal_risk",
    "channel",
    "language",
    "category",
    "assigned_user_id",
    "track_tags",
]
_OPEN = Grievance.state.in_(OPEN_STATES)

# Open work in the default order (next deadline, then id); the workload counts read it too.
Index(
    "ix_grievances_queue_open",
    Grievance.next_due_at,
    Grievance.id,
    postgresql_where=_OPEN,
    sqlite_where=_OPEN,
    postgresql_include=FILTERED,
)
# Every state in the default order.
Index("ix_grievances_queue_due", Grievance.next_due_at, Grievance.id, postgresql_include=FILTERED)
# Priority first (urgent flags, then severity), then the next deadline.
Index(
    "ix_grievances_queue_priority",
    Grievance.priority.desc(),
    Grievance.next_due_at,
    Grievance.id,
    postgresql_include=FILTERED,
)
# Newest first.
Index(
    "ix_grievances_queue_received",
    Grievance.received_at,
    Grievance.id,
    postgresql_include=FILTERED,
)
# "My cases".
Index("ix_grievances_queue_assignee", Grievance.assigned_user_id, Grievance.next_due_at)
# An organisation's staff see their own track's deadline, in that order.
Index(
    "ix_involvement_tracks_queue_org_due",
    InvolvementTrack.organisation_id,
    InvolvementTrack.due_at,
)
# Time per stage reads the events of a recent window.
Index("ix_audit_events_occurred_at", AuditEvent.occurred_at)


def _effective_due(subject: Grievance | InvolvementTrack) -> datetime | None:
    """Its deadline, or when it was flagged overdue if that came first."""
    candidates = [subject.due_at, subject.overdue_at]
    if isinstance(subject, Grievance) and subject.state in PRE_FEEDBACK_STATES:
        candidates.append(subject.feedback_due_at)
    dates = [value for value in candidates if value is not None]
    return min(dates) if dates else None


def next_due(grievance: Grievance) -> datetime | None:
    """The earliest deadline of the grievance or any open track; None once it has ended."""
    if grievance.is_ended:
        return None
    dates = [_effective_due(grievance)]
    dates += [_effective_due(track) for track in grievance.tracks if not track.is_ended]
    known = [value for value in dates if value is not None]
    return min(known) if known else None


def track_tag(name: str, value: object) -> str:
    return f",{name}:{value},"


def track_tags(grievance: Grievance) -> str | None:
    """Every kind, state and organisation among the grievance's tracks; None without tracks."""
    tags: set[str] = set()
    for track in grievance.tracks:
        # A track added in this unit of work gets its organisation_id only as it is flushed.
        organisation = track.organisation_id or track.organisation.id
        tags |= {f"kind:{track.kind.value}", f"state:{track.state}", f"org:{organisation}"}
    return f",{','.join(sorted(tags))}," if tags else None


def _changed(instance: Any, fields: tuple[str, ...]) -> bool:
    state = inspect(instance)
    if state.pending:
        return True
    return any(state.attrs[name].history.has_changes() for name in fields)


@event.listens_for(Session, "before_flush")
def _keep_queue_fields_in_step(session: Session, flush_context: Any, instances: Any) -> None:
    touched: set[Grievance] = set()
    for instance in chain(session.new, session.dirty):
        if isinstance(instance, Grievance) and _changed(instance, GRIEVANCE_FIELDS):
            touched.add(instance)
        elif isinstance(instance, InvolvementTrack) and _changed(instance, TRACK_FIELDS):
            touched.update([instance.grievance] if instance.grievance is not None else [])
    for grievance in touched:
        if grievance in session.deleted:
            continue
        due, tags = next_due(grievance), track_tags(grievance)
        if grievance.next_due_at != due:
            grievance.next_due_at = due
        if grievance.track_tags != tags:
            grievance.track_tags = tags
        priority = priority_of(grievance)
        if grievance.priority != priority:
            grievance.priority = priority

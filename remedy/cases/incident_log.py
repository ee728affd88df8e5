"""Reading the reprisal incident log: on a case's page, on the supervisor page, and as a
flag in the queue. What each reader may see is decided in
:mod:`remedy.cases.reprisal_incidents` (the words only for those who record incidents;
their existence for the mechanism's auditors; nothing for anyone else).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from remedy.cases import contact_hold
from remedy.cases.referrals import describe
from remedy.cases.reprisal_incidents import (
    may_acknowledge,
    may_record_incident,
    may_see_incidents,
    protection_mechanisms,
)
from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.referral import ReferralMechanism
from remedy.models.reprisal_incident import ReprisalIncident
from remedy.models.user import Role

# Mechanism staff who are shown the open alerts: supervisors act on them, the others know.
ALERT_READERS = frozenset({Role.SUPERVISOR, Role.AUDITOR, Role.PROTECTION_OFFICER})


@dataclass(frozen=True)
class IncidentView:
    """An incident as a reader may see it: ``what_happened`` and ``suspected`` are None
    for those who may only know it exists."""

    incident: ReprisalIncident
    what_happened: str | None
    suspected: str | None
    referral: str | None


def incidents_for(actor: Actor, grievance: Grievance) -> list[IncidentView]:
    if not may_see_incidents(actor, grievance):
        return []
    words = may_record_incident(actor, grievance)
    found = db.session.scalars(
        select(ReprisalIncident)
        .where(ReprisalIncident.grievance_id == grievance.id)
        .order_by(ReprisalIncident.recorded_at.desc(), ReprisalIncident.id.desc())
    )
    return [
        IncidentView(
            incident,
            incident.what_happened if words else None,
            incident.suspected if words else None,
            describe(incident.referral.mechanism) if incident.referral and words else None,
        )
        for incident in found
    ]


@dataclass(frozen=True)
class IncidentPanel:
    """The case page's part: the log, the forms offered, and the hold."""

    incidents: list[IncidentView] = field(default_factory=list)
    visible: bool = False
    may_record: bool = False
    may_acknowledge: bool = False
    mechanisms: list[ReferralMechanism] = field(default_factory=list)
    # The mechanism's own team sees that contact is held: their replies wait too.
    contact_held: bool = False
    may_lift: bool = False
    waiting: int = 0

    @property
    def open_alert(self) -> bool:
        return any(view.incident.alert_open for view in self.incidents)


def panel(actor: Actor, grievance: Grievance) -> IncidentPanel:
    may_record = may_record_incident(actor, grievance)
    held = contact_hold.is_held(grievance)
    return IncidentPanel(
        incidents=incidents_for(actor, grievance),
        visible=may_see_incidents(actor, grievance),
        may_record=may_record,
        may_acknowledge=may_acknowledge(actor),
        mechanisms=protection_mechanisms(grievance) if may_record else [],
        contact_held=held and actor.kind is ActorKind.STAFF and actor.organisation_id is None,
        may_lift=held and contact_hold.may_lift(actor, grievance),
        waiting=len(contact_hold.waiting_messages(grievance)) if held and may_record else 0,
    )


@dataclass(frozen=True)
class OpenAlert:
    reference: str
    incident_id: int
    recorded_at: datetime
    contact_held: bool


def _reads_alerts(actor: Actor) -> bool:
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in ALERT_READERS
    )


def open_alerts(actor: Actor) -> list[OpenAlert]:
    """Incidents no supervisor has acknowledged yet, oldest first."""
    if not _reads_alerts(actor):
        return []
    rows = db.session.execute(
        select(ReprisalIncident, Grievance)
        .join(Grievance, Grievance.id == ReprisalIncident.grievance_id)
        .where(ReprisalIncident.alerted, ReprisalIncident.alert_acknowledged_at.is_(None))
        .order_by(ReprisalIncident.recorded_at, ReprisalIncident.id)
    ).all()
    return [
        OpenAlert(
            grievance.reference, incident.id, incident.recorded_at, contact_hold.is_held(grievance)
        )
        for incident, grievance in rows
    ]


def alerted_among(actor: Actor, grievance_ids: list[int]) -> set[int]:
    """Among ``grievance_ids`` (a queue page), those with an alert not yet acknowledged."""
    if not grievance_ids or not _reads_alerts(actor):
        return set()
    return set(
        db.session.scalars(
            select(ReprisalIncident.grievance_id).where(
                ReprisalIncident.grievance_id.in_(grievance_ids),
                ReprisalIncident.alerted,
                ReprisalIncident.alert_acknowledged_at.is_(None),
            )
        )
    )

"""Incidents: the team links grievances about one event (a spill, a mass dismissal).

Linking is the mechanism's own case work (its handlers and supervisors): an organisation
involved never decides which complaints belong together. Every change is one audited
unit of work. Who reads an incident follows who reads grievances
(:mod:`remedy.identity.visibility`): the mechanism's staff see every incident; an
organisation's staff see one only through the linked grievances they may see, and only
those, with their own track; proxies and the people see none. An incident names no
people: its rows are references, states and tracks.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from remedy.audit import log as audit
from remedy.cases.policy import CASE_WORKERS
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import get_visible_grievance, visible_grievances
from remedy.models.grievance import Grievance
from remedy.models.incident import Incident, IncidentGrievance
from remedy.models.types import MAX_ROW_ID, utcnow

MAX_TITLE = 200
MAX_SUMMARY = 2000


def may_manage(actor: Actor) -> bool:
    """Create incidents, link and unlink grievances, act on all of them at once."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in CASE_WORKERS
        and actor.user_id is not None
    )


def visible_links(actor: Actor, incident: Incident) -> list[IncidentGrievance]:
    """The incident's grievances this actor may see, in the order they were linked."""
    if actor.kind is not ActorKind.STAFF:
        return []
    query = (
        select(IncidentGrievance)
        .join(Grievance, Grievance.id == IncidentGrievance.grievance_id)
        .where(IncidentGrievance.incident_id == incident.id, visible_grievances(actor))
        .order_by(IncidentGrievance.id)
    )
    return list(db.session.scalars(query))


def may_see_incident(actor: Actor, incident: Incident) -> bool:
    if actor.kind is not ActorKind.STAFF:
        return False
    return actor.organisation_id is None or bool(visible_links(actor, incident))


def get_incident(actor: Actor, incident_id: int) -> Incident:
    """The incident, or NotFound when it does not exist or ``actor`` may not see it."""
    incident = db.session.get(Incident, incident_id) if 1 <= incident_id <= MAX_ROW_ID else None
    if incident is None or not may_see_incident(actor, incident):
        raise NotFound(_("There is no such incident."))
    return incident


def incident_of(grievance: Grievance) -> Incident | None:
    link = db.session.scalars(
        select(IncidentGrievance).where(IncidentGrievance.grievance_id == grievance.id)
    ).one_or_none()
    return link.incident if link is not None else None


def refuse_unless_manager(actor: Actor) -> None:
    if not may_manage(actor):
        raise NotAllowed(_("You may not do this on this case."))


def _title(value: str | None) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise InvalidInput(_("Give the incident a short title."), "title")
    if len(cleaned) > MAX_TITLE:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_TITLE), "title"
        )
    return cleaned


def _summary(value: str | None) -> str | None:
    cleaned = (value or "").strip()
    if len(cleaned) > MAX_SUMMARY:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_SUMMARY), "summary"
        )
    return cleaned or None


def _refuse_if_linked(grievance: Grievance) -> None:
    if incident_of(grievance) is not None:
        raise InvalidInput(
            _(
                "Case %(reference)s is already linked to an incident.",
                reference=display(grievance.reference),
            ),
            "reference",
        )


def _case(actor: Actor, reference: str) -> Grievance:
    """A case typed into a form: one the actor may see, else a 422 on the field."""
    try:
        return get_visible_grievance(actor, reference)
    except NotFound as missing:
        raise InvalidInput(_("There is no case with this reference."), "reference") from missing


def _link(actor: Actor, incident: Incident, grievance: Grievance) -> None:
    _refuse_if_linked(grievance)
    incident.links.append(
        IncidentGrievance(grievance_id=grievance.id, linked_by_user_id=actor.user_id)
    )
    try:
        db.session.flush()
    except IntegrityError as crossed:  # linked elsewhere meanwhile: one incident per case
        raise ConflictError("the case was linked to an incident meanwhile") from crossed
    audit.record(
        actor, "incident.link", "incident", incident.id, after={"grievance": grievance.reference}
    )


@transactional
def create_incident(
    actor: Actor, grievance: Grievance, title: str | None, summary: str | None = None
) -> Incident:
    """A new incident, starting from one case."""
    refuse_unless_manager(actor)
    _refuse_if_linked(grievance)
    incident = Incident(
        title=_title(title), summary=_summary(summary), created_by_user_id=actor.user_id
    )
    db.session.add(incident)
    db.session.flush()
    written = ["summary", "title"] if incident.summary else ["title"]
    audit.record(actor, "incident.create", "incident", incident.id, after={"fields": written})
    _link(actor, incident, grievance)
    return incident


@transactional
def link_grievance(actor: Actor, incident: Incident, reference: str) -> Grievance:
    """Add the case with this reference (one the actor may see) to the incident."""
    refuse_unless_manager(actor)
    grievance = _case(actor, reference)
    _link(actor, incident, grievance)
    incident.updated_at = utcnow()  # bumps the incident's version
    return grievance


@transactional
def join_incident_of(actor: Actor, grievance: Grievance, reference: str) -> Incident:
    """Link this case to the incident the case with ``reference`` belongs to."""
    refuse_unless_manager(actor)
    other = _case(actor, reference)
    incident = incident_of(other)
    if incident is None:
        raise InvalidInput(
            _(
                "Case %(reference)s is not linked to an incident.",
                reference=display(other.reference),
            ),
            "reference",
        )
    link_grievance(actor, incident, grievance.reference)
    return incident


@transactional
def unlink_grievance(actor: Actor, incident: Incident, grievance_id: int) -> None:
    refuse_unless_manager(actor)
    link = next((item for item in incident.links if item.grievance_id == grievance_id), None)
    if link is None:
        raise NotFound(_("This case is not linked to the incident."))
    reference = link.grievance.reference
    incident.links.remove(link)
    db.session.flush()
    audit.record(actor, "incident.unlink", "incident", incident.id, after={"grievance": reference})


@transactional
def describe_incident(
    actor: Actor, incident: Incident, title: str | None, summary: str | None
) -> None:
    """Change the title and summary (the team's words, never the people's names)."""
    refuse_unless_manager(actor)
    incident.title = _title(title)
    incident.summary = _summary(summary)
    db.session.flush()
    audit.record(
        actor, "incident.describe", "incident", incident.id, after={"fields": ["summary", "title"]}
    )

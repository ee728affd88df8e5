"""Reading an incident: its linked cases as the reader may see them, and what the case
pages suggest linking. Plain data for the console and the API; no people, ever."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from remedy.cases.incidents import incident_of, may_manage, visible_links
from remedy.cases.recurrence import similar_grievances
from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.identity.visibility import visible_grievances, visible_tracks
from remedy.models.grievance import Grievance
from remedy.models.incident import Incident, IncidentGrievance
from remedy.workflows import workflow_for


@dataclass(frozen=True)
class TrackRow:
    organisation_id: int
    organisation: str
    kind: str
    state: str
    state_label: str


@dataclass(frozen=True)
class CaseRow:
    grievance_id: int
    reference: str
    state: str
    state_label: str
    category: str | None
    tracks: tuple[TrackRow, ...]


def case_row(actor: Actor, grievance: Grievance) -> CaseRow:
    return CaseRow(
        grievance_id=grievance.id,
        reference=grievance.reference,
        state=grievance.state,
        state_label=str(workflow_for(grievance).state(grievance.state).label),
        category=grievance.category.label if grievance.category else None,
        tracks=tuple(
            TrackRow(
                organisation_id=track.organisation_id,
                organisation=track.organisation.name,
                kind=track.kind.value,
                state=track.state,
                state_label=str(workflow_for(track).state(track.state).label),
            )
            for track in visible_tracks(actor, grievance)
        ),
    )


def case_rows(actor: Actor, incident: Incident) -> list[CaseRow]:
    return [case_row(actor, link.grievance) for link in visible_links(actor, incident)]


def organisations(rows: list[CaseRow]) -> list[tuple[int, str]]:
    """The organisations with a track on a linked case: whom an action may be taken for."""
    found = {track.organisation_id: track.organisation for row in rows for track in row.tracks}
    return sorted(found.items(), key=lambda item: item[1])


def suggestions(actor: Actor, incident: Incident) -> list[Grievance]:
    """Cases like the linked ones (same category and place, within the window), not linked."""
    if not may_manage(actor):
        return []
    found: dict[int, Grievance] = {}
    for link in visible_links(actor, incident):
        for grievance in similar_grievances(actor, link.grievance):
            found.setdefault(grievance.id, grievance)
    return list(found.values())


@dataclass(frozen=True)
class CasePanel:
    """The case page's part: its incident, or the way to start or join one, and the cases
    like it to link."""

    incident: Incident | None
    may_manage: bool
    similar: tuple[Grievance, ...]


def case_panel(actor: Actor, grievance: Grievance) -> CasePanel:
    incident = incident_of(grievance)
    if incident is not None and not visible_links(actor, incident):
        incident = None
    manager = may_manage(actor)
    similar = tuple(similar_grievances(actor, grievance)) if manager else ()
    return CasePanel(incident, manager, similar)


LISTED = 100


def listed_incidents(actor: Actor) -> list[tuple[Incident, int]]:
    """The incidents with a linked case ``actor`` may see, newest first, with how many of
    their cases the actor sees."""
    if actor.kind is not ActorKind.STAFF:
        return []
    cases = func.count(IncidentGrievance.id)
    query = (
        select(Incident, cases)
        .join(IncidentGrievance, IncidentGrievance.incident_id == Incident.id)
        .join(Grievance, Grievance.id == IncidentGrievance.grievance_id)
        .where(visible_grievances(actor))
        .group_by(Incident.id)
        .order_by(Incident.created_at.desc(), Incident.id.desc())
        .limit(LISTED)
    )
    return [(incident, count) for incident, count in db.session.execute(query)]

"""Three people hurt by one spill, each reached their own way: an SMS in Swahili, the web
status page in French, and through the NGO that filed for the third."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from remedy.cases import incidents
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.models import Channel, Grievance, Incident, InvolvementTrack, OutboxMessage, TrackKind
from tests.workflows.scenarios import Scenario

SPILL = "Oil from the pipeline covered the river at Nyando bridge."


@dataclass
class Spill:
    incident: Incident
    by_sms: Grievance
    on_web: Grievance
    by_proxy: Grievance

    @property
    def grievances(self) -> list[Grievance]:
        return [self.by_sms, self.on_web, self.by_proxy]


def company_track(scenario: Scenario, grievance: Grievance) -> InvolvementTrack:
    return next(t for t in grievance.tracks if t.organisation_id == scenario.company.id)


def spill(scenario: Scenario, *kinds: TrackKind) -> Spill:
    """Three grievances classified with the company's track (``kinds`` per grievance,
    cause by default), linked to one incident by the mechanism's handler."""
    kinds = kinds or (TrackKind.CAUSE,) * 3
    by_sms, _t = scenario.in_remedy(
        kinds[0],
        description=SPILL,
        complainant=PersonDetails("Achieng Otieno", "+254700111222", "sw"),
        contact_consent=True,
    )
    on_web, _t = scenario.in_remedy(
        kinds[1],
        channel=Channel.WEB,
        language="fr",
        description=SPILL,
        complainant=PersonDetails("Aline Mutoni", None, "fr"),
        contact_consent=False,
    )
    by_proxy, _t = scenario.in_remedy(
        kinds[2],
        channel=Channel.PROXY,
        description=SPILL,
        complainant=PersonDetails("Juma Hassan", "+254700333444", "en", receives_messages=False),
        contact_consent=False,
    )
    scenario.mandate(by_proxy)
    incident = incidents.create_incident(scenario.handler, by_sms, "Nyando river spill")
    incidents.link_grievance(scenario.handler, incident, on_web.reference)
    incidents.link_grievance(scenario.handler, incident, by_proxy.reference)
    return Spill(incident, by_sms, on_web, by_proxy)


def messages(grievance: Grievance, template: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.grievance_id == grievance.id, OutboxMessage.template == template
    )
    return list(db.session.scalars(query))

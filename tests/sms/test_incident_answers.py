"""A proposal made once on an incident asks each person by SMS, in their language, and
each answer moves only that person's own case."""

from __future__ import annotations

from collections.abc import Callable

from remedy.cases import incident_actions, incidents, tracks
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.messaging import sms_texts
from remedy.models import Grievance, RemedyType, TrackKind
from remedy.workflows.states import TrackState
from tests.sms.conftest import Phone, rendered
from tests.workflows.scenarios import Scenario


def filed_from(scenario: Scenario, phone: Phone, language: str) -> Grievance:
    details = PersonDetails("Achieng", phone.number, language)
    grievance, _t = scenario.in_remedy(
        TrackKind.CAUSE, complainant=details, language=language, contact_consent=True
    )
    return grievance


def test_each_person_answers_the_incidents_proposal_on_their_own_phone(
    scenario: Scenario, new_phone: Callable[[], Phone]
) -> None:
    swahili, english = new_phone(), new_phone()
    accepting = filed_from(scenario, swahili, "sw")
    declining = filed_from(scenario, english, "en")
    incident = incidents.create_incident(scenario.handler, accepting, "Nyando river spill")
    incidents.link_grievance(scenario.handler, incident, declining.reference)
    plan = tracks.RemedyActionPlan(RemedyType.RESTITUTION, "Clean the river and the wells.")
    incident_actions.propose_to_everyone(scenario.handler, incident, scenario.company.id, [plan])

    accepted = swahili.send("Nakubali")
    english.send("2")
    declined = english.send("The fish died too.")

    assert accepted == rendered(sms_texts.PROPOSAL_ACCEPTED, "sw")
    assert declined == rendered(sms_texts.PROPOSAL_DECLINED, "en")
    db.session.expire_all()
    assert accepting.tracks[0].state == TrackState.IMPLEMENTING
    assert declining.tracks[0].state == TrackState.DIALOGUE

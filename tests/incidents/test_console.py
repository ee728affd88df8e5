"""Incidents in the console: started from a case, joined by reference, listed with each
case's state and tracks; a proposal for everyone with a report per case; who reads what."""

from __future__ import annotations

from flask import Flask
from werkzeug.test import TestResponse

from remedy.cases import incidents, tracks
from remedy.core.extensions import db
from remedy.models import Grievance, RemedyType, TrackKind
from remedy.workflows.states import TrackState
from tests.console.case_support import Console, console_for, text_of
from tests.incidents.support import company_track, messages, spill
from tests.support import csrf_token
from tests.workflows.scenarios import Scenario


def incident_page(console: Console, incident_id: int) -> TestResponse:
    return console.client.get(f"/console/incidents/{incident_id}")


def post_on_incident(
    console: Console, incident_id: int, path: str, data: dict[str, str]
) -> TestResponse:
    html = console.client.get("/account").get_data(as_text=True)
    return console.client.post(
        f"/console/incidents/{incident_id}{path}", data={"csrf_token": csrf_token(html), **data}
    )


def test_a_handler_starts_an_incident_from_a_case_and_links_another_by_reference(
    app: Flask, scenario: Scenario
) -> None:
    first, _t = scenario.in_remedy()
    second, _t = scenario.in_remedy()
    console = console_for(app, scenario.handler)
    assert "Link to an incident" in console.html(first)

    started = console.post(first, "/incident", {"title": "Fence across the path"})
    joined = console.post(second, "/incident/join", {"reference": first.reference})

    assert started.status_code == joined.status_code == 302
    incident = incidents.incident_of(first)
    assert incident is not None
    assert incidents.incident_of(second) == incident
    assert "Fence across the path" in console.html(second)
    page = text_of(incident_page(console, incident.id).get_data(as_text=True))
    for grievance in (first, second):
        assert f"{grievance.reference[:4]} {grievance.reference[4:]}" in page
    assert "Acme Mining: Planning the remedy" in page


def test_a_case_in_another_incident_is_refused_with_a_reason(
    app: Flask, scenario: Scenario
) -> None:
    first, _t = scenario.in_remedy()
    incidents.create_incident(scenario.handler, first, "Spill")
    console = console_for(app, scenario.handler)

    response = console.post(first, "/incident", {"title": "Another"})

    assert response.status_code == 422
    assert "already linked to an incident" in response.get_data(as_text=True)


def test_a_proposal_from_the_incident_page_reports_each_case(
    app: Flask, scenario: Scenario
) -> None:
    stage = spill(scenario, TrackKind.CAUSE, TrackKind.CONTRIBUTE, TrackKind.CAUSE)
    console = console_for(app, scenario.handler)

    response = post_on_incident(
        console,
        stage.incident.id,
        "/proposal",
        {
            "organisation": str(scenario.company.id),
            "action-0-type": RemedyType.RESTITUTION.value,
            "action-0-description": "Clean the river and the wells.",
            "action-0-owner": "this_organisation",
        },
    )

    assert response.status_code == 200
    report = text_of(response.get_data(as_text=True))
    assert "Done on 2 cases, refused on 1." in report
    assert "leverage action" in report
    db.session.expire_all()
    assert company_track(scenario, stage.by_sms).state == TrackState.PROPOSED
    assert company_track(scenario, stage.on_web).state == TrackState.PLANNING
    assert len(messages(stage.by_proxy, "remedy_proposed")) == 1


def test_a_decision_for_every_case_reports_the_refused_one(app: Flask, scenario: Scenario) -> None:
    cases = [scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)[0] for _ in range(3)]
    incident = incidents.create_incident(scenario.handler, cases[0], "Haulage trucks")
    for grievance in cases[1:]:
        incidents.link_grievance(scenario.handler, incident, grievance.reference)
    partner_tracks = [
        next(t for t in grievance.tracks if t.kind is TrackKind.DIRECTLY_LINKED)
        for grievance in cases
    ]
    # One partner track was escalated already, on its own case.
    tracks.escalate(scenario.handler, partner_tracks[1], "No answer.")
    console = console_for(app, scenario.handler)

    response = post_on_incident(
        console,
        incident.id,
        "/decision",
        {
            "organisation": str(scenario.partner.id),
            "decision": "escalate",
            "reason": "Rift Haulage has not answered in a month.",
        },
    )

    page = text_of(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "Done on 2 cases, refused on 1." in page
    assert "This step is not possible while the case is: Escalated." in page
    db.session.expire_all()
    assert [track.state for track in partner_tracks] == [TrackState.ESCALATED] * 3
    assert len(messages(cases[0], "escalated")) == 1


def test_an_auditor_reads_the_incident_and_changes_nothing(app: Flask, scenario: Scenario) -> None:
    stage = spill(scenario)
    console = console_for(app, scenario.auditor)

    page = incident_page(console, stage.incident.id).get_data(as_text=True)
    refused = post_on_incident(
        console, stage.incident.id, "/grievances", {"reference": stage.by_sms.reference}
    )

    assert "Nyando river spill" in page
    assert "Propose to every linked case" not in page
    assert refused.status_code == 403


def _shared(scenario: Scenario) -> tuple[Grievance, Grievance, int]:
    """A case with the company and the partner, and one with the company only, linked."""
    both, _t = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    company_only, _t = scenario.in_remedy(TrackKind.CAUSE)
    incident = incidents.create_incident(scenario.handler, both, "Spill")
    incidents.link_grievance(scenario.handler, incident, company_only.reference)
    return both, company_only, incident.id


def test_an_organisation_sees_only_its_own_cases_and_track(app: Flask, scenario: Scenario) -> None:
    both, company_only, incident_id = _shared(scenario)
    partner = console_for(app, scenario.partner_handler)

    page = text_of(incident_page(partner, incident_id).get_data(as_text=True))

    assert f"{both.reference[:4]} {both.reference[4:]}" in page
    assert company_only.reference[:4] + " " + company_only.reference[4:] not in page
    assert "Rift Haulage" in page
    assert "Acme Mining" not in page
    for person in both.people + company_only.people:
        assert person.person.name not in page
    assert "Propose to every linked case" not in page
    refused = post_on_incident(partner, incident_id, "/proposal", {})
    assert refused.status_code == 403


def test_an_organisation_with_no_linked_case_finds_no_incident(
    app: Flask, scenario: Scenario
) -> None:
    first, _t = scenario.in_remedy(TrackKind.CAUSE)
    incident = incidents.create_incident(scenario.handler, first, "Spill")

    response = incident_page(console_for(app, scenario.partner_handler), incident.id)

    assert response.status_code == 404


def test_a_handler_removes_a_case_from_the_incident(app: Flask, scenario: Scenario) -> None:
    both, company_only, incident_id = _shared(scenario)
    console = console_for(app, scenario.handler)

    response = post_on_incident(console, incident_id, f"/grievances/{company_only.id}/remove", {})

    assert response.status_code == 302
    assert incidents.incident_of(company_only) is None
    assert incidents.incident_of(both) is not None


def test_a_handler_renames_the_incident_and_a_stale_page_changes_nothing(
    app: Flask, scenario: Scenario
) -> None:
    first, _t = scenario.in_remedy()
    incident = incidents.create_incident(scenario.handler, first, "Spill")
    console = console_for(app, scenario.handler)
    shown = incident.version
    assert 'value="Spill"' in incident_page(console, incident.id).get_data(as_text=True)

    renamed = post_on_incident(
        console, incident.id, "", {"title": "Nyando river spill", "version": str(shown)}
    )
    stale = post_on_incident(
        console, incident.id, "", {"title": "Something else", "version": str(shown)}
    )

    assert renamed.status_code == 302
    assert stale.status_code == 409
    db.session.expire_all()
    assert incident.title == "Nyando river spill"


def test_the_incidents_list_shows_what_each_reader_may_see(app: Flask, scenario: Scenario) -> None:
    _shared(scenario)
    alone, _t = scenario.in_remedy(TrackKind.CAUSE)
    incidents.create_incident(scenario.handler, alone, "Dust from the quarry")

    handler = text_of(console_for(app, scenario.handler).client.get("/console/incidents").text)
    partner = text_of(
        console_for(app, scenario.partner_handler).client.get("/console/incidents").text
    )

    assert "Spill · 2 cases" in handler
    assert "Dust from the quarry · 1 case" in handler
    assert "Spill · 1 case" in partner  # only the case with its own track
    assert "Dust from the quarry" not in partner

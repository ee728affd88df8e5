"""Incidents through the API: read by staff tokens as far as each may see; an
organisation reads only its own linked grievances and tracks; proxies are refused;
nobody reads the people."""

from __future__ import annotations

from collections.abc import Callable

from remedy.cases import incidents
from remedy.core.actors import Actor
from remedy.models import Grievance, TrackKind
from tests.api.conftest import Api
from tests.workflows.scenarios import Scenario


def linked(scenario: Scenario) -> tuple[int, Grievance, Grievance]:
    """One case with the company and the partner, one with the company only, linked."""
    both, _t = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    company_only, _t = scenario.in_remedy(TrackKind.CAUSE)
    incident = incidents.create_incident(scenario.handler, both, "Haulage trucks")
    incidents.link_grievance(scenario.handler, incident, company_only.reference)
    return incident.id, both, company_only


def test_the_mechanism_reads_every_linked_case(
    api_for: Callable[[Actor], Api], scenario: Scenario
) -> None:
    incident_id, both, company_only = linked(scenario)

    for actor in (scenario.handler, scenario.auditor):
        response = api_for(actor).get(f"/incidents/{incident_id}")
        assert response.status_code == 200
        body = response.get_json()
        assert body["title"] == "Haulage trucks"
        assert [g["reference"] for g in body["grievances"]] == [
            both.reference,
            company_only.reference,
        ]
        assert [t["organisation"] for t in body["grievances"][0]["tracks"]] == [
            "Acme Mining",
            "Rift Haulage",
        ]
        assert body["grievances"][1]["tracks"][0]["state"] == "planning"


def test_an_organisation_reads_only_its_own_cases_and_tracks(
    api_for: Callable[[Actor], Api], scenario: Scenario
) -> None:
    incident_id, both, company_only = linked(scenario)

    body = api_for(scenario.partner_handler).get(f"/incidents/{incident_id}").get_json()

    assert [g["reference"] for g in body["grievances"]] == [both.reference]
    assert [t["organisation"] for t in body["grievances"][0]["tracks"]] == ["Rift Haulage"]
    text = str(body)
    for grievance in (both, company_only):
        for link in grievance.people:
            assert link.person.name not in text
            assert (link.person.phone or "?") not in text


def test_an_organisation_without_a_linked_case_finds_nothing(
    api_for: Callable[[Actor], Api], scenario: Scenario
) -> None:
    first, _t = scenario.in_remedy(TrackKind.CAUSE)
    incident = incidents.create_incident(scenario.handler, first, "Spill")

    response = api_for(scenario.partner_handler).get(f"/incidents/{incident.id}")

    assert response.status_code == 404


def test_proxies_are_refused_and_unknown_ids_are_not_found(
    api_for: Callable[[Actor], Api], scenario: Scenario
) -> None:
    incident_id, both, _other = linked(scenario)
    scenario.mandate(both)

    assert api_for(scenario.proxy).get(f"/incidents/{incident_id}").status_code == 403
    assert api_for(scenario.handler).get("/incidents/999999").status_code == 404
    assert api_for(scenario.handler).get("/incidents/99999999999").status_code == 404

"""What each organisation hears, through the same rules as its API tokens read: nothing
about a case it has no part in, its own track only, names and numbers only where the
people's identity choices allow, and never what the case is about (its description,
category, place, severity, reprisal risk or incidents)."""

from __future__ import annotations

import json
from typing import Any

from remedy.accounts.organisations import create_organisation
from remedy.cases import identity_consent, intake
from remedy.cases.reprisal_incidents import IncidentReport, record_incident
from remedy.core.actors import OPERATOR, Actor
from remedy.identity.consents import consent_for
from remedy.messaging.worker import Worker
from remedy.models.grievance import Category, ReprisalRisk
from remedy.models.identity_consent import ConsentVia
from remedy.models.involvement_track import TrackKind
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.types import utcnow
from remedy.models.webhook import WebhookEvent
from remedy.webhooks.payload import payload
from tests.webhooks.conftest import Subscribe, deliveries
from tests.webhooks.receiver import Receiver
from tests.workflows.scenarios import Scenario

NAME = "Person"  # every person the scenario files is "Person <n>-<i>"
PHONE = "+2547"


def heard(organisation: Organisation) -> list[dict[str, Any]]:
    """The documents the organisation's deliveries carry, as they would be posted."""
    documents = [payload(delivery) for delivery in deliveries(organisation)]
    assert all(document is not None for document in documents)
    return [document for document in documents if document is not None]


def named(document: dict[str, Any]) -> bool:
    text = json.dumps(document)
    people = document["grievance"]["people"]
    return NAME in text or PHONE in text or any("name" in p or "phone" in p for p in people)


def test_an_organisation_with_no_part_in_a_case_hears_nothing_of_it(
    scenario: Scenario, subscribe: Subscribe
) -> None:
    stranger = create_organisation(OPERATOR, "Lake Traders", OrganisationKind.COMPANY, "KE")
    subscribe(stranger)
    subscribe(scenario.ngo)  # no mandate, did not file

    _, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.propose(track)

    assert deliveries(stranger) == []
    assert deliveries(scenario.ngo) == []


def test_each_organisation_hears_of_its_own_track_only(
    scenario: Scenario, subscribe: Subscribe
) -> None:
    subscribe(scenario.company)
    subscribe(scenario.partner)
    _, (company_track, partner_track) = scenario.in_remedy(
        TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE
    )
    scenario.propose(partner_track)

    for organisation, own in (
        (scenario.company, company_track),
        (scenario.partner, partner_track),
    ):
        documents = heard(organisation)
        assert documents
        for document in documents:
            assert document["change"]["track_id"] in (None, own.id)
            assert [shown["id"] for shown in document["grievance"]["tracks"]] == [own.id]
    proposed = [
        document for document in heard(scenario.partner) if document["change"]["from"] is not None
    ]
    assert [document["change"]["to"] for document in proposed] == [partner_track.state]


def test_the_accused_partner_hears_pseudonyms_until_the_people_say_yes(
    scenario: Scenario, subscribe: Subscribe
) -> None:
    subscribe(scenario.partner)
    grievance, (_, partner_track) = scenario.in_remedy(TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE)

    (opened,) = heard(scenario.partner)
    assert not named(opened)
    assert opened["grievance"]["people"][0]["pseudonym"].startswith("P-")

    consent = consent_for(grievance, scenario.partner.id)
    assert consent is not None
    people = Actor.complainant(grievance.reference, grievance.people[0].person_id)
    identity_consent.answer(people, consent, True, ConsentVia.SMS)
    scenario.propose(partner_track)

    assert all(named(document) for document in heard(scenario.partner))


def test_the_company_the_mechanism_serves_hears_names_unless_they_were_withheld(
    scenario: Scenario, subscribe: Subscribe
) -> None:
    subscribe(scenario.company)
    scenario.in_remedy(TrackKind.CAUSE)
    (open_case,) = heard(scenario.company)
    assert open_case["grievance"]["people"][0]["name"].startswith(NAME)

    withheld, _ = scenario.in_remedy(TrackKind.CAUSE, identity_withheld=True)
    (hidden,) = [
        document
        for document in heard(scenario.company)
        if document["grievance"]["reference"] == withheld.reference
    ]
    assert not named(hidden)


def test_what_the_case_is_about_never_leaves(
    scenario: Scenario, subscribe: Subscribe, receiver: Receiver, worker: Worker
) -> None:
    subscribe(scenario.company)
    grievance, (track,) = scenario.in_remedy(
        TrackKind.CAUSE,
        category=Category.SEXUAL_VIOLENCE,
        reprisal_risk=ReprisalRisk.HIGH,
        location="Kibera Ward 7",
        description="The supervisor at the weighbridge assaulted me.",
    )
    record_incident(
        scenario.supervisor,
        grievance,
        IncidentReport("Threatened at the gate.", utcnow().date(), "The night guard"),
    )
    scenario.propose(track)

    worker.step()

    bodies = [request.body.decode() for request in receiver.received]
    assert len(bodies) == len(deliveries()) >= 2
    for body in bodies:
        for secret in (
            "weighbridge",
            "sexual",
            "Kibera",
            "reprisal",
            "Threatened",
            "night guard",
            "severity",
            "urgency",
            "category",
            "description",
            "location",
        ):
            assert secret not in body


def test_an_ngo_hears_of_the_cases_it_holds_a_mandate_for(
    scenario: Scenario, subscribe: Subscribe
) -> None:
    subscribe(scenario.ngo, events=(WebhookEvent.GRIEVANCE_STATE_CHANGED.value,))
    grievance = scenario.file()
    scenario.mandate(grievance)

    intake.accept(scenario.handler, grievance)

    (document,) = heard(scenario.ngo)
    assert document["event"] == "grievance.state_changed"
    assert document["change"]["to"] == grievance.state

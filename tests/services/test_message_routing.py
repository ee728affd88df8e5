"""Messages for people represented by a proxy: to the proxy while its mandate carries them,
back to the people when it no longer does."""

from __future__ import annotations

from datetime import timedelta

from remedy.cases.notify import recipients
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models import ConsentMethod, Grievance, Mandate
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope
from tests.workflows.scenarios import Scenario


def keys(grievance_id: int) -> set[str]:
    grievance = db.session.get(Grievance, grievance_id)
    assert grievance is not None
    return {recipient.key for recipient in recipients(grievance)}


def test_organisation_only_routing_falls_back_to_the_people_when_the_mandate_ends(
    scenario: Scenario,
) -> None:
    grievance = scenario.file(people=2)
    for link in grievance.people:
        link.receives_messages = False
    db.session.commit()
    scenario.mandate(grievance, proxy_receives_messages=True)
    organisation = f"o{scenario.ngo.id}"
    people = {f"p{link.person_id}" for link in grievance.people}

    assert keys(grievance.id) == {organisation}

    mandate = db.session.query(Mandate).filter_by(grievance_id=grievance.id).one()
    mandate.valid_until = utcnow().date() - timedelta(days=1)
    db.session.commit()

    assert keys(grievance.id) == people


def test_a_mandate_for_one_person_routes_only_that_persons_messages(scenario: Scenario) -> None:
    grievance = scenario.file(people=2)
    first, second = grievance.people
    for link in grievance.people:
        link.receives_messages = False
    db.session.commit()
    grant_mandate(
        OPERATOR,
        scenario.ngo,
        grievance,
        [MandateScope.FOLLOW],
        ConsentMethod.WRITTEN,
        utcnow().date() + timedelta(days=30),
        first.person,
    )

    assert keys(grievance.id) == {f"o{scenario.ngo.id}", f"p{second.person_id}"}

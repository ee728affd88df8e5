"""Who speaks for you: with the reference and PIN, the people see the organisations holding
a mandate for them and stop any of them acting for them, after confirming."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from remedy.accounts.organisations import create_organisation, vet_organisation
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models import ConsentMethod, Mandate, Organisation
from remedy.models.organisation import OrganisationKind
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope
from tests.proxy.portal import withdrawals
from tests.web.conftest import Case, WebVisitor
from tests.web.test_case import FilledCase, opened
from tests.workflows.scenarios import Scenario


@pytest.fixture
def haki(scenario: Scenario) -> Organisation:
    ngo = create_organisation(OPERATOR, "Haki Watch", OrganisationKind.NGO, "KE")
    return vet_organisation(OPERATOR, ngo, "Registration certificate seen.")


@pytest.fixture
def represented(filed_case: FilledCase, scenario: Scenario, haki: Organisation) -> Case:
    """A case two NGOs act for."""
    case = filed_case()
    for organisation in (scenario.ngo, haki):
        grant_mandate(
            OPERATOR,
            organisation,
            case.grievance,
            tuple(MandateScope),
            ConsentMethod.WRITTEN,
            utcnow().date() + timedelta(days=365),
        )
    db.session.commit()
    return case


def in_force(case: Case) -> set[str]:
    db.session.expire_all()
    return {
        mandate.organisation.name
        for mandate in db.session.scalars(
            select(Mandate).where(Mandate.grievance_id == case.grievance.id)
        )
        if mandate.is_valid_on(utcnow().date())
    }


def withdraw_path(case: Case, organisation: Organisation) -> str:
    return f"/case/{case.reference}/mandates/{organisation.id}/withdraw"


def test_the_case_page_says_who_speaks_for_the_people(
    visitor: WebVisitor, represented: Case, scenario: Scenario, haki: Organisation
) -> None:
    html = opened(visitor, represented)

    assert "Who speaks for you" in html
    assert "Friends of the River" in html
    assert "Haki Watch" in html
    assert f'href="{withdraw_path(represented, scenario.ngo)}"' in html
    assert f'href="{withdraw_path(represented, haki)}"' in html


def test_a_case_nobody_speaks_for_shows_no_such_section(
    visitor: WebVisitor, filed_case: FilledCase
) -> None:
    assert "Who speaks for you" not in opened(visitor, filed_case())


def test_the_people_withdraw_one_organisation_after_confirming(
    visitor: WebVisitor, represented: Case, scenario: Scenario
) -> None:
    opened(visitor, represented)
    path = withdraw_path(represented, scenario.ngo)

    asked = visitor.get(path)
    assert asked.status_code == 200
    assert "Stop this organisation acting for you?" in asked.text
    assert in_force(represented) == {"Friends of the River", "Haki Watch"}

    done = visitor.post(path, {})

    assert done.status_code == 302
    assert "Friends of the River no longer acts for you." in visitor.get(done.location).text
    assert in_force(represented) == {"Haki Watch"}
    assert withdrawals() == [("complainant", "web")]


def test_without_the_csrf_token_nothing_is_withdrawn(
    visitor: WebVisitor, represented: Case, scenario: Scenario
) -> None:
    opened(visitor, represented)

    response = visitor.client.post(withdraw_path(represented, scenario.ngo), data={})

    assert response.status_code == 400
    assert in_force(represented) == {"Friends of the River", "Haki Watch"}


def test_without_the_pin_nothing_is_withdrawn(
    visitor: WebVisitor, represented: Case, scenario: Scenario
) -> None:
    # A valid CSRF token of this browser, from the page that asks for the PIN.
    response = visitor.post(withdraw_path(represented, scenario.ngo), {}, page="/case")

    assert response.status_code == 302
    assert response.location.startswith("/case?reference=")
    assert in_force(represented) == {"Friends of the River", "Haki Watch"}


def test_an_organisation_without_a_mandate_is_not_found(
    visitor: WebVisitor, filed_case: FilledCase, scenario: Scenario
) -> None:
    case = filed_case()
    opened(visitor, case)

    assert visitor.get(withdraw_path(case, scenario.ngo)).status_code == 404

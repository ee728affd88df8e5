"""An NGO holding the people's mandate answers for them whether an organisation the
mechanism does not serve may know who they are, as it answers a proposal: on the case
page, under a valid mandate, and never without one."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from remedy.core.extensions import db
from remedy.identity.consents import consent_for
from remedy.identity.visibility import may_see_identity
from remedy.models import Grievance, TrackKind
from remedy.models.identity_consent import ConsentAnswer, ConsentVia, IdentityConsent
from remedy.proxy.mandates import withdraw_mandate_as_person
from remedy.workflows.definition import MandateScope
from tests.support import csrf_token
from tests.workflows.scenarios import Scenario


def partner_case(scenario: Scenario, *scopes: MandateScope) -> Grievance:
    """The partner caused the harm; the NGO holds the people's mandate."""
    grievance, _ = scenario.in_remedy(TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE)
    scenario.mandate(grievance, scopes or tuple(MandateScope))
    return grievance


def consent(grievance: Grievance, scenario: Scenario) -> IdentityConsent:
    db.session.expire_all()
    found = consent_for(grievance, scenario.partner.id)
    assert found is not None
    return found


def answer(
    portal: FlaskClient,
    grievance: Grievance,
    scenario: Scenario,
    said: str,
    meanwhile: Callable[[], object] | None = None,
) -> str:
    """Open the case page, then send its answer (``meanwhile`` happens in between)."""
    page = f"/proxy/cases/{grievance.reference}"
    token = csrf_token(portal.get(page).get_data(as_text=True))
    action = f"{page}/identity/{consent(grievance, scenario).id}"
    if meanwhile is not None:
        meanwhile()
    response = portal.post(action, data={"answer": said, "csrf_token": token})
    if response.status_code == 302:
        return portal.get(response.headers["Location"]).get_data(as_text=True)
    return f"{response.status_code} " + response.get_data(as_text=True)


def test_the_case_page_asks_the_member_about_the_partner(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = partner_case(scenario)

    html = portal.get(f"/proxy/cases/{grievance.reference}").get_data(as_text=True)

    assert "May Rift Haulage know who the people are?" in html
    assert "May Acme Mining know" not in html


def test_the_member_says_yes_for_the_people(portal: FlaskClient, scenario: Scenario) -> None:
    grievance = partner_case(scenario)

    page = answer(portal, grievance, scenario, "yes")

    assert "Rift Haulage may know who the people are." in page
    answered = consent(grievance, scenario)
    assert answered.answer is ConsentAnswer.YES
    assert answered.answered_via is ConsentVia.PROXY
    assert answered.answered_by_user_id == scenario.proxy.user_id
    assert may_see_identity(scenario.partner_handler, grievance)


def test_the_member_says_no_for_the_people(portal: FlaskClient, scenario: Scenario) -> None:
    grievance = partner_case(scenario)

    answer(portal, grievance, scenario, "no")

    assert consent(grievance, scenario).answer is ConsentAnswer.NO
    assert not may_see_identity(scenario.partner_handler, grievance)


def test_a_mandate_without_the_scope_cannot_answer(portal: FlaskClient, scenario: Scenario) -> None:
    grievance = partner_case(scenario, MandateScope.FOLLOW)

    page = answer(portal, grievance, scenario, "yes")

    assert page.startswith("403")
    assert "does not allow this" in page
    assert consent(grievance, scenario).answer is ConsentAnswer.PENDING


def test_after_the_people_withdraw_the_mandate_the_member_cannot_answer(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = partner_case(scenario)

    page = answer(
        portal, grievance, scenario, "yes", lambda: withdraw_mandate_as_person(grievance, None)
    )

    assert page.startswith("403")
    assert "The mandate was withdrawn on" in page
    assert consent(grievance, scenario).answer is ConsentAnswer.PENDING

"""The web status page asks whether an organisation the mechanism does not serve may know
who the people are: two buttons, no script, a CSRF token; the answer decides what that
organisation's staff see."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.identity.consents import consent_for
from remedy.identity.visibility import may_see_identity
from remedy.models.identity_consent import ConsentAnswer, ConsentVia, IdentityConsent
from remedy.models.involvement_track import TrackKind
from tests.web.conftest import Case, WebVisitor
from tests.workflows.scenarios import Scenario

QUESTION = "May Rift Haulage know who you are?"


@pytest.fixture
def partner_case(scenario: Scenario, filed_case: Callable[..., Case]) -> Case:
    """The company is directly linked; its business partner caused the harm."""
    case = filed_case()
    intake.accept(scenario.handler, case.grievance)
    plans = [
        intake.TrackPlan(scenario.company, TrackKind.DIRECTLY_LINKED, "Its supplier."),
        intake.TrackPlan(scenario.partner, TrackKind.CAUSE, "Its trucks did it."),
    ]
    intake.classify(scenario.handler, case.grievance, plans, intake.Severity(2, 2, 1))
    db.session.commit()
    return case


def consent(case: Case, scenario: Scenario) -> IdentityConsent:
    db.session.expire_all()
    found = consent_for(case.grievance, scenario.partner.id)
    assert found is not None
    return found


def answer_on_the_page(visitor: WebVisitor, case: Case, scenario: Scenario, said: str) -> str:
    opened = visitor.open_case(case.reference, case.pin)
    assert opened.status_code == 302
    page = f"/case/{case.reference}"
    action = f"{page}/identity/{consent(case, scenario).id}"
    response = visitor.post(action, {"answer": said}, page=page)
    assert response.status_code == 302, response.text
    return visitor.get(response.location).text


def test_the_case_page_asks_about_the_partner_with_two_buttons(
    visitor: WebVisitor, partner_case: Case
) -> None:
    visitor.open_case(partner_case.reference, partner_case.pin)

    html = visitor.get(f"/case/{partner_case.reference}").text

    assert QUESTION in html
    assert 'name="answer" value="yes"' in html
    assert 'name="answer" value="no"' in html
    assert "Acme Mining know" not in html  # the company was answered for at filing


def test_yes_on_the_web_lets_the_partner_see_who_they_are(
    visitor: WebVisitor, partner_case: Case, scenario: Scenario
) -> None:
    assert not may_see_identity(scenario.partner_handler, partner_case.grievance)

    html = answer_on_the_page(visitor, partner_case, scenario, "yes")

    assert "Rift Haulage may now know who you are." in html
    assert QUESTION not in html  # answered: no longer waiting
    answered = consent(partner_case, scenario)
    assert answered.answer is ConsentAnswer.YES
    assert answered.answered_via is ConsentVia.WEB
    assert may_see_identity(scenario.partner_handler, partner_case.grievance)


def test_no_on_the_web_keeps_the_partner_on_pseudonyms(
    visitor: WebVisitor, partner_case: Case, scenario: Scenario
) -> None:
    answer_on_the_page(visitor, partner_case, scenario, "no")

    assert consent(partner_case, scenario).answer is ConsentAnswer.NO
    assert not may_see_identity(scenario.partner_handler, partner_case.grievance)


def test_an_answer_without_the_csrf_token_changes_nothing(
    visitor: WebVisitor, partner_case: Case, scenario: Scenario
) -> None:
    visitor.open_case(partner_case.reference, partner_case.pin)
    action = f"/case/{partner_case.reference}/identity/{consent(partner_case, scenario).id}"

    visitor.client.post(action, data={"answer": "yes"})

    assert consent(partner_case, scenario).answer is ConsentAnswer.PENDING


def test_without_the_pin_nobody_answers(
    visitor: WebVisitor, partner_case: Case, scenario: Scenario
) -> None:
    action = f"/case/{partner_case.reference}/identity/{consent(partner_case, scenario).id}"

    response = visitor.post(action, {"answer": "yes"}, page="/case")  # a token, no PIN

    assert response.status_code == 302
    assert response.location.startswith("/case?reference=")
    assert consent(partner_case, scenario).answer is ConsentAnswer.PENDING

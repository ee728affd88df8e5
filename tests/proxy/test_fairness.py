"""Once a case is over, an NGO whose mandate lets it answer check-ins for the people says
for each of them, as they told it, how fair the handling was: on the case page, recorded
as given by the proxy, and never without the mandate."""

from __future__ import annotations

from flask.testing import FlaskClient

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.models import Grievance
from remedy.models.mechanism_feedback import FeedbackVia
from remedy.workflows.definition import MandateScope
from tests.fairness_support import answers_to_fairness as feedback
from tests.proxy.portal import post_on_page
from tests.support import Account
from tests.workflows.scenarios import Scenario

QUESTION = "The case is over: how fair was it for"


def ended_case(scenario: Scenario, *scopes: MandateScope) -> Grievance:
    """Two people; the NGO holds their mandate; then the case was found not admissible."""
    grievance = scenario.file(people=2)
    scenario.mandate(grievance, scopes or tuple(MandateScope))
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    db.session.commit()
    return grievance


def page(grievance: Grievance) -> str:
    return f"/proxy/cases/{grievance.reference}"


def action(grievance: Grievance, person_id: int) -> str:
    return f"{page(grievance)}/fairness/{person_id}"


def test_the_member_answers_for_each_person_the_mandate_covers(
    portal: FlaskClient, scenario: Scenario, member: Account
) -> None:
    grievance = ended_case(scenario)
    first, second = (link.person_id for link in grievance.people)
    html = portal.get(page(grievance)).get_data(as_text=True)
    assert html.count(QUESTION) == 2

    response = post_on_page(
        portal, page(grievance), action(grievance, first), {"score": "3", "comment": "Slow."}
    )

    assert response.status_code == 302
    (given,) = feedback(grievance)
    assert (given.person_id, given.score, given.comment) == (first, 3, "Slow.")
    assert given.via is FeedbackVia.PROXY
    assert given.by_proxy
    assert given.proxy_organisation_id == scenario.ngo.id
    assert given.answered_by == str(member.user.id)
    after = portal.get(page(grievance)).get_data(as_text=True)
    assert after.count(QUESTION) == 1
    assert action(grievance, second) in after


def test_a_wrong_score_is_refused_on_the_page(portal: FlaskClient, scenario: Scenario) -> None:
    grievance = ended_case(scenario)
    person = grievance.people[0].person_id

    for wrong in ({}, {"score": "0"}, {"score": "five"}):
        response = post_on_page(portal, page(grievance), action(grievance, person), wrong)
        assert response.status_code == 400

    assert feedback(grievance) == []


def test_without_the_check_in_scope_nothing_is_offered_and_nothing_taken(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = ended_case(scenario, MandateScope.FOLLOW)
    person = grievance.people[0].person_id

    html = portal.get(page(grievance)).get_data(as_text=True)
    response = post_on_page(portal, page(grievance), action(grievance, person), {"score": "5"})

    assert QUESTION not in html
    assert response.status_code == 403
    assert feedback(grievance) == []


def test_another_organisation_cannot_answer(other_portal: FlaskClient, scenario: Scenario) -> None:
    grievance = ended_case(scenario)
    person = grievance.people[0].person_id

    response = post_on_page(other_portal, "/proxy/file", action(grievance, person), {"score": "5"})

    assert response.status_code == 404  # not its case: not even shown
    assert feedback(grievance) == []


def test_nothing_is_asked_while_the_case_is_open(portal: FlaskClient, scenario: Scenario) -> None:
    grievance = scenario.file(people=2)
    scenario.mandate(grievance)
    db.session.commit()

    html = portal.get(page(grievance)).get_data(as_text=True)
    response = post_on_page(
        portal, page(grievance), action(grievance, grievance.people[0].person_id), {"score": "4"}
    )

    assert QUESTION not in html
    assert response.status_code == 400
    assert "This question is closed." in response.get_data(as_text=True)
    assert feedback(grievance) == []

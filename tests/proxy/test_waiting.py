"""The portal's case page lists everything waiting for the people, from the same read as the
web's /answer page (``complainant_view.case_actions``), each with a link to its form."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from remedy.cases import intake
from remedy.cases.complainant_view import case_actions
from remedy.core.actors import Actor
from remedy.models import Grievance, TrackKind
from remedy.workflows.definition import MandateScope
from tests.proxy.test_acting import mandated
from tests.workflows.scenarios import Scenario

WAITING = re.compile(r'<ul class="waiting">(.*?)</ul>', re.S)


def waiting_links(portal: FlaskClient, grievance: Grievance) -> tuple[list[str], str]:
    """The targets the "Waiting for your answer" list links to, and the whole page."""
    page = portal.get(f"/proxy/cases/{grievance.reference}").get_data(as_text=True)
    found = WAITING.search(page)
    return (re.findall(r'href="#([\w-]+)"', found.group(1)) if found else []), page


def form_under(page: str, target: str) -> str:
    """The action of the first form inside the element the link points to."""
    start = page.index(f'id="{target}"')
    match = re.search(r'<form method="post" action="([^"]+)"', page[start:])
    assert match, f"no form under #{target}"
    return match.group(1)


def test_a_proposal_is_listed_with_a_link_to_accept_or_decline_it(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")

    links, page = waiting_links(portal, case.grievance)

    assert links == [f"proposal-{case.track.id}"]
    assert form_under(page, links[0]).endswith(f"/tracks/{case.track.id}/accept")


def test_a_check_in_is_listed_with_a_link_to_its_answer(
    portal: FlaskClient, scenario: Scenario, actor: Actor
) -> None:
    case = mandated(scenario, "verifying")
    questions = case_actions(case.grievance, actor).questions

    links, page = waiting_links(portal, case.grievance)

    assert questions  # the one read says questions wait for the organisation...
    assert links == [f"check-in-{question.id}" for question in questions]  # ...the page too
    for link, question in zip(links, questions, strict=True):
        assert form_under(page, link).endswith(f"/check-ins/{question.id}")


def test_a_consent_question_is_listed_with_a_link_to_its_answer(
    portal: FlaskClient, scenario: Scenario, actor: Actor
) -> None:
    grievance, _ = scenario.in_remedy(TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE)
    scenario.mandate(grievance, tuple(MandateScope))
    (consent,) = case_actions(grievance, actor).consents

    links, page = waiting_links(portal, grievance)

    assert f"consent-{consent.id}" in links
    assert form_under(page, f"consent-{consent.id}").endswith(f"/identity/{consent.id}")


def test_the_teams_question_is_listed_with_a_link_to_add_the_information(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = scenario.file(people=2)
    scenario.mandate(grievance)
    intake.request_info(scenario.handler, grievance, "Where exactly is the fence?")

    links, page = waiting_links(portal, grievance)

    assert links == ["add-information"]
    assert form_under(page, "add-information").endswith("/information")


def test_nothing_waiting_lists_nothing(portal: FlaskClient, scenario: Scenario) -> None:
    case = mandated(scenario, "planning")

    links, page = waiting_links(portal, case.grievance)

    assert links == []
    assert "Waiting for your answer" not in page

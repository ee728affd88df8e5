"""The dashboard lists the organisation's cases with their state and next deadline; an
organisation never sees another organisation's cases, not even by guessing a reference."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date
from sqlalchemy import select

from remedy.cases import intake
from remedy.cases.notes import add_note
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.models import Grievance, InternalNote
from remedy.proxy import dashboard
from remedy.proxy.mandates import withdraw_mandate_as_person
from remedy.workflows import INTAKE
from tests.proxy.portal import file_for_others, filed, post_on_page, snapshot
from tests.workflows.scenarios import Scenario


def page_of(client: FlaskClient, path: str = "/proxy/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_dashboard_lists_what_the_organisation_filed_or_holds_a_mandate_for(
    portal: FlaskClient, scenario: Scenario
) -> None:
    filed_by_us = filed(file_for_others(portal))
    mandated = scenario.file()
    scenario.mandate(mandated)
    someone_elses = scenario.file()

    page = page_of(portal)

    assert display(filed_by_us.reference) in page
    assert display(mandated.reference) in page
    assert display(someone_elses.reference) not in page
    assert "2 cases" in page
    # Newest first.
    assert page.index(display(mandated.reference)) < page.index(display(filed_by_us.reference))


@pytest.mark.parametrize("language", ["en", "fr", "sw", "ar"])
def test_states_and_deadlines_are_in_the_members_language(
    portal: FlaskClient, scenario: Scenario, language: str
) -> None:
    grievance = scenario.file()
    scenario.mandate(grievance)
    intake.accept(scenario.handler, grievance)

    page = page_of(portal, f"/proxy/?lang={language}")

    with force_locale(language):
        state = str(INTAKE.state("assessment").label)
        deadline = format_date(grievance.due_at, "long")
    if language != "en":
        assert state != "Assessment", f"the state is not translated into {language}"
    assert state in page
    assert deadline in page


def test_a_case_waiting_for_an_answer_says_so(portal: FlaskClient, scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy()
    scenario.mandate(grievance)
    scenario.propose(track)

    assert "Waiting for your answer" in page_of(portal)


def test_the_mandate_status_follows_withdrawal(portal: FlaskClient, scenario: Scenario) -> None:
    grievance = scenario.file()
    scenario.mandate(grievance)
    assert "In force" in page_of(portal)

    withdraw_mandate_as_person(grievance, None)

    page = page_of(portal)
    assert "In force" not in page
    assert "Withdrawn" in page
    assert display(grievance.reference) in page  # history stays readable


def test_the_dashboard_comes_a_page_at_a_time(
    portal: FlaskClient, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 2)
    cases = [scenario.file() for _ in range(3)]
    for grievance in cases:
        scenario.mandate(grievance)

    first, second = page_of(portal), page_of(portal, "/proxy/?page=2")

    assert "Page 1 of 2" in first
    assert [display(g.reference) in first for g in cases] == [False, True, True]
    assert [display(g.reference) in second for g in cases] == [True, False, False]
    assert "Page 2 of 2" in page_of(portal, "/proxy/?page=99")


def test_the_case_page_shows_the_status_the_people_and_a_history_without_internal_notes(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = filed(file_for_others(portal))
    add_note(scenario.handler, grievance, "Internal: the site manager denies it.")
    intake.accept(scenario.handler, grievance)

    page = page_of(portal, f"/proxy/cases/{grievance.reference}")

    assert "We are finding out who is responsible." in page  # the plain-words status
    assert "Amina Wanjiru" in page
    assert "+254711100101" in page
    assert "Screening → Assessment" in page  # the team's decision, in the history
    assert db.session.scalars(select(InternalNote)).one()
    assert "site manager" not in page
    assert "Internal note" not in page


# Another organisation ---------------------------------------------------------------------


@pytest.fixture
def ours(portal: FlaskClient, scenario: Scenario) -> Grievance:
    grievance, (track,) = scenario.in_remedy()
    scenario.mandate(grievance)
    scenario.propose(track)
    return grievance


def test_another_organisation_does_not_see_the_case_on_its_dashboard(
    other_portal: FlaskClient, ours: Grievance
) -> None:
    page = page_of(other_portal)

    assert display(ours.reference) not in page
    assert "Your organisation has no case yet." in page


@pytest.mark.parametrize(
    "path", ["", "/mandates/new", "/tracks/{track}/accept", "/information", "/withdraw"]
)
def test_another_organisations_case_is_not_found_and_nothing_changes(
    other_portal: FlaskClient, ours: Grievance, path: str
) -> None:
    before = snapshot(ours)
    url = f"/proxy/cases/{ours.reference}" + path.format(track=ours.tracks[0].id)

    if path in ("", "/mandates/new"):
        response = other_portal.get(url)
    else:
        response = post_on_page(
            other_portal, "/proxy/file", url, {"information": "x", "confirm": "y"}
        )

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert snapshot(ours) == before


def test_an_unknown_reference_is_not_found_like_another_organisations(
    portal: FlaskClient,
) -> None:
    assert portal.get("/proxy/cases/12345678").status_code == 404
    assert portal.get("/proxy/cases/not-a-reference").status_code == 404


@pytest.mark.parametrize("page", ["/proxy/", "/proxy/file"])
def test_every_portal_page_signs_out_in_one_tap(portal: FlaskClient, page: str) -> None:
    """NGO staff often share an office computer or a phone."""
    html = page_of(portal, page)
    assert '<form method="post" action="/sign-out">' in html

    signed_out = post_on_page(portal, page, "/sign-out")

    assert signed_out.status_code == 302
    assert signed_out.location.endswith("/sign-in")
    assert portal.get("/proxy/").status_code == 302  # to sign in again

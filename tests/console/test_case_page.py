"""The case page shows the whole case, as far as the reader may see it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask

from remedy.cases import intake, notes
from remedy.core.extensions import db
from remedy.models import Answer, ReprisalRisk, Role, TrackKind
from remedy.models.types import utcnow
from tests.console.case_support import Console, console_for, new_user, text_of
from tests.workflows.scenarios import Scenario


@pytest.fixture
def handler(app: Flask, scenario: Scenario) -> Console:
    return console_for(app, scenario.handler)


def test_the_summary_shows_severity_reprisal_risk_and_deadlines(
    handler: Console, scenario: Scenario
) -> None:
    grievance, (_track,) = scenario.in_remedy(
        TrackKind.CAUSE, reprisal_risk=ReprisalRisk.HIGH, location="Kilima village"
    )

    html = handler.html(grievance)
    page = text_of(html)

    assert "Severity 2 of 4 (scale 2, scope 2, irremediability 1)" in page
    assert "Reprisal risk High" in page
    assert "Discreet (only says there is news)" in page
    assert "Kilima village" in page
    assert "The new fence blocks the path to the well." in page
    assert "Track of Acme Mining:" in page  # its deadline
    assert "flag-overdue" not in html


def test_overdue_work_is_flagged(handler: Console, scenario: Scenario) -> None:
    grievance = scenario.file()
    grievance.due_at = utcnow() - timedelta(days=1)
    db.session.commit()

    html = handler.html(grievance)

    assert '<strong class="flag flag-overdue">Overdue</strong>' in html


def test_the_people_are_named_to_case_workers_when_identity_is_not_withheld(
    handler: Console, scenario: Scenario
) -> None:
    grievance = scenario.file(people=2)

    page = text_of(handler.html(grievance))

    assert "Person 1-0" in page
    assert "Person 1-1" in page
    assert "+254700010000" in page
    for link in grievance.people:
        assert link.person.pseudonym in page


def test_a_withheld_identity_shows_pseudonyms_only(handler: Console, scenario: Scenario) -> None:
    grievance = scenario.file(identity_withheld=True)
    (link,) = grievance.people

    page = text_of(handler.html(grievance))

    assert link.person.pseudonym in page
    assert "Person 1-0" not in page
    assert "+254700010000" not in page
    assert "withheld their identity: pseudonyms only" in page


def test_the_timeline_holds_messages_events_check_in_answers_and_added_information(
    handler: Console, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    intake.provide_information(scenario.complainant(grievance), grievance, "Photos sent by post.")
    scenario.verify(track)
    scenario.answer_all(track, Answer.PARTLY)

    html = handler.html(grievance)
    timeline = text_of(html.split('id="timeline"', 1)[1])

    assert "We received your complaint." in timeline  # a message
    assert "Message to P-" in timeline
    assert "Accept Screening → Assessment" in timeline  # an event with its states
    assert "handler@example.org" in timeline  # who did it
    assert "Check-in answer from P-" in timeline
    assert "partly" in timeline
    assert "The water point is still missing." in timeline
    assert "Photos sent by post." in timeline
    times = re.findall(r'<time datetime="([^"]+)"', html)
    assert times == sorted(times, reverse=True)  # newest first


def test_the_remedy_plan_and_leverage_show_type_owner_due_date_evidence_and_status(
    handler: Console, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CONTRIBUTE)
    scenario.verify(track)

    plan = text_of(handler.html(grievance).split("Remedy plan", 1)[1])

    assert "Stopping the harm" in plan
    assert "Remove the fence." in plan
    assert "This organisation" in plan
    assert "Delivered" in plan
    assert "Photos of the open path." in plan
    assert "Raise the issue" in plan
    assert "Rift Haulage" in plan


def test_referrals_are_listed(handler: Console, scenario: Scenario) -> None:
    grievance = scenario.to_grievance_state("not_admissible")

    page = text_of(handler.html(grievance))

    assert "Referrals" in page
    assert "Outside our operations." in page


def test_the_workflow_diagram_marks_the_current_state(handler: Console, scenario: Scenario) -> None:
    grievance, (_track,) = scenario.in_remedy(TrackKind.DIRECTLY_LINKED)

    html = handler.html(grievance)

    current = re.findall(r'aria-current="step">\s*<span class="wf-name">([^<]+)</span>', html)
    assert current == ["In remedy", "Engaging the partner"]
    assert "Partner commits to remedy → Partner remedying" in html


def test_the_steps_offered_follow_the_state_and_the_role(
    app: Flask, handler: Console, scenario: Scenario
) -> None:
    screening = scenario.file()
    assessment = scenario.in_assessment()

    assert handler.offers(screening, "/triggers/accept")
    assert handler.offers(screening, "/triggers/reject")
    assert handler.offers(screening, "/triggers/request_info")
    assert not handler.offers(screening, "/triggers/classify")
    assert handler.offers(assessment, "/triggers/classify")
    assert handler.offers(assessment, "/triggers/find_no_involvement")
    assert not handler.offers(assessment, "/triggers/accept")
    classify = handler.html(assessment).split('id="trigger-classify"', 1)[1].split("</details>")[0]
    assert 'name="track-0-organisation"' in classify
    assert 'name="track-0-kind"' in classify
    assert 'name="severity-irremediability"' in classify
    assert "Friends of the River" not in classify  # an NGO is never classified

    protection = console_for(app, new_user("po@example.org", Role.PROTECTION_OFFICER))
    assert not protection.offers(screening, "/triggers/accept")


def test_a_company_user_sees_the_shared_summary_and_only_its_own_track(
    app: Flask, scenario: Scenario
) -> None:
    grievance, (_own, _other) = scenario.in_remedy(
        TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED, identity_withheld=True
    )
    notes.add_note(scenario.handler, grievance, "The mechanism suspects the guards.")
    company = console_for(app, scenario.company_handler)

    page = text_of(company.html(grievance))

    assert "The new fence blocks the path to the well." in page  # shared summary
    assert "Acme Mining" in page
    assert "Rift Haulage" not in page
    assert "Person 1-0" not in page
    assert "+254700010000" not in page
    assert "The mechanism suspects the guards." not in page
    assert "Internal note added" not in page


def test_internal_notes_stay_within_each_side_of_a_joint_mechanism(
    app: Flask, scenario: Scenario
) -> None:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE)
    company = console_for(app, scenario.company_handler)
    handler = console_for(app, scenario.handler)

    assert (
        company.post(grievance, "/notes", {"note": "Our legal team is on it."}).status_code == 302
    )
    assert handler.post(grievance, "/notes", {"note": "Check their permit."}).status_code == 302

    company_page = text_of(company.html(grievance))
    mechanism_page = text_of(handler.html(grievance))
    assert "Our legal team is on it." in company_page
    assert "Check their permit." not in company_page
    assert "Our legal team is on it." in mechanism_page
    assert "Check their permit." in mechanism_page


def test_proxies_never_open_the_console(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.file()
    scenario.mandate(grievance)
    proxy = console_for(app, scenario.proxy)

    assert proxy.page(grievance).status_code == 403

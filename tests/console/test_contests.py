"""Reviewing a contested classification in the console: the page shows the people's reason,
a supervisor who did not classify the track upholds it (with a reason the people are told)
or reclassifies it; the one who decided, and handlers, are neither offered the forms nor
allowed to post them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import intake
from remedy.cases.contests import contest_classification
from remedy.core.extensions import db
from remedy.models import Grievance, InvolvementTrack, OutboxMessage, TrackKind
from tests.console.case_support import Console, console_for, text_of
from tests.workflows.scenarios import Scenario

REASON = "The company drove the trucks itself."
UPHOLD = "/triggers/uphold_classification"


@pytest.fixture
def contested(scenario: Scenario) -> tuple[Grievance, InvolvementTrack]:
    """Classified by the handler, in remedy, contested by the person."""
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    contest_classification(scenario.complainant(grievance), track, REASON)
    db.session.commit()
    return grievance, track


def uphold_path(track: InvolvementTrack) -> str:
    return f"/tracks/{track.id}{UPHOLD}"


def told(grievance: Grievance, template: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(
        OutboxMessage.grievance_id == grievance.id, OutboxMessage.template == template
    )
    return list(db.session.scalars(query))


def test_the_page_shows_the_peoples_reason_and_offers_the_review_to_a_supervisor(
    app: Flask, scenario: Scenario, contested: tuple[Grievance, InvolvementTrack]
) -> None:
    grievance, track = contested
    supervisor = console_for(app, scenario.supervisor)

    page = text_of(supervisor.html(grievance))

    assert f"The people contest this classification: {REASON}" in page
    assert supervisor.offers(grievance, uphold_path(track))
    assert supervisor.offers(grievance, f"/tracks/{track.id}/reclassify")


def test_a_supervisor_upholds_and_the_people_are_told_why(
    app: Flask, scenario: Scenario, contested: tuple[Grievance, InvolvementTrack]
) -> None:
    grievance, track = contested
    supervisor = console_for(app, scenario.supervisor)

    response = supervisor.post(grievance, uphold_path(track), {"reason": "Its contract says so."})

    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert track.state == "planning"
    assert track.contest_reason is None
    (message,) = told(grievance, "classification_upheld")
    assert "Its contract says so" in message.body


def test_upholding_without_a_reason_is_refused_and_changes_nothing(
    app: Flask, scenario: Scenario, contested: tuple[Grievance, InvolvementTrack]
) -> None:
    grievance, track = contested
    supervisor = console_for(app, scenario.supervisor)

    response = supervisor.post(grievance, uphold_path(track), {"reason": "  "})

    assert response.status_code == 422
    db.session.expire_all()
    assert track.state == "classification_contested"


def test_the_supervisor_who_classified_may_not_review_it(app: Flask, scenario: Scenario) -> None:
    grievance = scenario.in_assessment()
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "Assessed by a supervisor.")
    (track,) = intake.classify(scenario.supervisor, grievance, [plan], intake.Severity(2, 2, 1))
    contest_classification(scenario.complainant(grievance), track, REASON)
    db.session.commit()
    decider = console_for(app, scenario.supervisor)

    assert not decider.offers(grievance, uphold_path(track))
    response = decider.post(grievance, uphold_path(track), {"reason": "I stand by it."})

    assert response.status_code in (403, 409)
    db.session.expire_all()
    assert track.state == "classification_contested"
    other = console_for(app, scenario.other_supervisor)
    assert other.offers(grievance, uphold_path(track))


def test_a_handler_is_neither_offered_the_review_nor_allowed_it(
    app: Flask, scenario: Scenario, contested: tuple[Grievance, InvolvementTrack]
) -> None:
    grievance, track = contested
    handler: Console = console_for(app, scenario.handler)

    assert not handler.offers(grievance, uphold_path(track))
    response = handler.post(grievance, uphold_path(track), {"reason": "It stays."})

    assert response.status_code == 403
    db.session.expire_all()
    assert track.state == "classification_contested"


def test_a_supervisor_reclassifies_and_the_track_restarts_in_the_new_workflow(
    app: Flask, scenario: Scenario, contested: tuple[Grievance, InvolvementTrack]
) -> None:
    grievance, track = contested
    supervisor = console_for(app, scenario.supervisor)

    response = supervisor.post(
        grievance,
        f"/tracks/{track.id}/reclassify",
        {"kind": "contribute", "rationale": "Others drove too.", "explanation": "Others too."},
    )

    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    db.session.expire_all()
    assert (track.kind, track.state) == (TrackKind.CONTRIBUTE, "planning")
    assert track.contest_reason is None
    assert told(grievance, "classification_changed")

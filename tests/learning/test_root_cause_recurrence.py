"""A root cause that comes back at a place alerts the supervisors: set or confirmed on a
case whose place shares a word with another case that had the same cause within the
window (180 days by default), through the recurrence alerts the categories use, once per
cause and place within the window; the supervisor page lists it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import case_root_causes
from remedy.core import settings
from remedy.core.extensions import db
from remedy.models import Grievance, GrievanceRootCause, OutboxMessage, RecurrenceAlert
from remedy.models.types import utcnow
from tests.console.case_support import console_for, text_of
from tests.learning.support import cause, events
from tests.workflows.scenarios import Scenario

# Grouping goes through the blind index: its SQL is what differs between the databases.
pytestmark = pytest.mark.postgres
TEMPLATE = "staff_root_cause_recurrence"


def told() -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.template == TEMPLATE)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def with_cause(scenario: Scenario, place: str | None, key: str = "wages") -> Grievance:
    grievance = scenario.in_assessment(location=place)
    case_root_causes.set_root_causes(scenario.handler, grievance, [cause(key).id])
    return grievance


def test_a_root_cause_back_at_a_place_alerts_once(app: Flask, scenario: Scenario) -> None:
    with_cause(scenario, "Nyando bridge, Kisumu")
    assert told() == []

    second = with_cause(scenario, "the old bridge at Nyando")

    sent = told()
    assert len(sent) == 2  # both supervisors of the mechanism
    assert {message.grievance_id for message in sent} == {second.id}
    assert (
        "root cause Wages and pay, which 2 cases at the same place had within 180 days"
        in sent[0].body
    )
    # One per place word the two share ("nyando", "bridge"), as for categories.
    kept = db.session.scalars(select(RecurrenceAlert)).all()
    assert len(kept) == 2
    assert {(alert.root_cause_id, alert.category, alert.count) for alert in kept} == {
        (cause("wages").id, None, 2)
    }
    (event,) = events("grievance.root_cause_recurrence")
    assert event.after == {"root_cause": "wages", "count": 2, "alerts": 2}
    db.session.commit()
    page = console_for(app, scenario.supervisor).client.get("/console/supervisor")
    section = text_of(page.get_data(as_text=True).split('id="recurring"')[1].split("</section>")[0])
    assert "Root cause Wages and pay back at the same place: 2 cases" in section

    with_cause(scenario, "Nyando")  # a third within the window: heard already
    assert len(told()) == 2


def test_other_causes_places_and_old_records_do_not_alert(scenario: Scenario) -> None:
    old = with_cause(scenario, "Ahero market")
    with_cause(scenario, "Ahero market", "land")  # another cause
    with_cause(scenario, "Muhoroni", "wages")  # another place
    with_cause(scenario, None, "wages")  # no place
    with_cause(scenario, "near the river", "water")
    with_cause(scenario, "near the river", "water")  # common words only
    for row in db.session.scalars(
        select(GrievanceRootCause).where(GrievanceRootCause.grievance_id == old.id)
    ):
        row.set_at = utcnow() - timedelta(days=181)
    db.session.flush()
    with_cause(scenario, "Ahero market", "wages")  # the other was recorded too long ago

    assert told() == []


def test_confirming_at_closing_alerts_too(scenario: Scenario) -> None:
    with_cause(scenario, "Nyando bridge", "security_forces")
    closed = scenario.file(location="Nyando")
    from remedy.cases import intake

    intake.reject(scenario.handler, closed, "Outside our operations.", scenario.court())
    case_root_causes.set_root_causes(scenario.handler, closed, [cause("security_forces").id])

    assert {message.grievance_id for message in told()} == {closed.id}


def test_the_window_is_a_setting(app: Flask, scenario: Scenario) -> None:
    # Put back after the test with the rest of the app's settings (tests/conftest.py).
    app.config["REMEDY_ROOT_CAUSE_RECURRENCE_WINDOW"] = timedelta(days=10)
    settings.init_app(app)
    first = with_cause(scenario, "Nyando bridge")
    for row in db.session.scalars(
        select(GrievanceRootCause).where(GrievanceRootCause.grievance_id == first.id)
    ):
        row.set_at = utcnow() - timedelta(days=11)
    db.session.flush()
    with_cause(scenario, "Nyando bridge")
    assert told() == []

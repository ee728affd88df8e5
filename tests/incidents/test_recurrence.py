"""A category and a place that keep coming back alert the supervisors once per window
(3 grievances within 30 days by default), grouped through the place blind index; the
case pages then suggest linking them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import recurrence
from remedy.core.extensions import db
from remedy.models import Category, Grievance, MessageChannel, OutboxMessage, RecurrenceAlert
from remedy.models.types import utcnow
from tests.console.case_support import console_for, text_of
from tests.workflows.scenarios import Scenario

# Grouping goes through the blind index: its SQL is what differs between the databases.
pytestmark = pytest.mark.postgres

PLACE = "Nyando bridge, Kisumu"


def alerts() -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.template == "staff_recurrence")
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def spilled(
    scenario: Scenario, place: str = PLACE, category: Category = Category.ENVIRONMENT
) -> Grievance:
    return scenario.file(category=category, location=place)


def test_the_supervisors_hear_once_at_the_threshold(scenario: Scenario) -> None:
    spilled(scenario)
    spilled(scenario, "Kisumu, near the bridge")
    assert alerts() == []

    third = spilled(scenario, "the old bridge at Nyando")

    sent = alerts()
    # Both supervisors of the mechanism, in the console, about the third case.
    assert len(sent) == 2
    assert {message.channel for message in sent} == {MessageChannel.CONSOLE}
    assert {message.grievance_id for message in sent} == {third.id}
    assert "3 grievances about Water, air and environment" in sent[0].body
    assert "30 days" in sent[0].body

    spilled(scenario)  # the fourth, within the window
    assert len(alerts()) == 2


def test_it_alerts_again_once_the_window_has_passed(scenario: Scenario) -> None:
    for _ in range(3):
        spilled(scenario)
    assert len(alerts()) == 2
    for alert in db.session.scalars(select(RecurrenceAlert)):
        alert.raised_at = utcnow() - timedelta(days=31)
    db.session.flush()

    spilled(scenario)

    assert len(alerts()) == 4


def test_other_categories_places_and_common_words_do_not_count(scenario: Scenario) -> None:
    spilled(scenario)
    spilled(scenario, category=Category.LABOUR)
    spilled(scenario, "Ahero market")
    # Words shared only because they are common: "near the river".
    spilled(scenario, "near the river in Ahero town", Category.LAND)
    spilled(scenario, "near the river at Muhoroni", Category.LAND)
    spilled(scenario, "near the river by Awasi", Category.LAND)
    # No place, no category: never grouped.
    scenario.file(category=Category.ENVIRONMENT)
    scenario.file(location=PLACE)

    assert alerts() == []
    assert db.session.scalars(select(RecurrenceAlert)).all() == []


def test_one_place_word_in_common_is_enough(scenario: Scenario) -> None:
    first = spilled(scenario)
    db.session.expire(first)
    alike = recurrence.similar_grievances(scenario.handler, spilled(scenario, "Kisumu"))
    assert [g.id for g in alike] == [first.id]


def test_the_case_page_suggests_linking_the_others(app: Flask, scenario: Scenario) -> None:
    first = spilled(scenario)
    second = spilled(scenario, "Kisumu, near the bridge")
    other_place = spilled(scenario, "Ahero market")

    page = text_of(console_for(app, scenario.handler).html(first))

    assert "Cases of the same kind at the same place lately" in page
    assert f"{second.reference[:4]} {second.reference[4:]}" in page
    assert f"{other_place.reference[:4]} {other_place.reference[4:]}" not in page


def test_the_supervisor_page_lists_the_alert_until_the_window_ends(
    app: Flask, scenario: Scenario
) -> None:
    for _ in range(3):
        third = spilled(scenario)
    page = console_for(app, scenario.supervisor).client.get("/console/supervisor")

    text = text_of(page.get_data(as_text=True))
    assert "Complaints that keep coming back" in text
    assert f"{third.reference[:4]} {third.reference[4:]} · 3 grievances about Water" in text
    # A company's supervisor sees only the cases of its own tracks: none here.
    assert recurrence.recent_alerts(scenario.company_handler) == []

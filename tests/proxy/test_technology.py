"""Technology harms through the proxy portal: an organisation files about each technology
category with whether the people use the product and an external reference, and asks
for an explanation of an automated decision for the people it represents."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from remedy.core.extensions import db
from remedy.models import Category, Grievance, OutboxMessage, TrackKind
from remedy.models.grievance import TECHNOLOGY_CATEGORIES
from tests.proxy.portal import file_for_others, filed
from tests.proxy.test_acting import act, fresh, page_of
from tests.workflows.scenarios import Scenario


@pytest.mark.parametrize("category", [category.value for category in TECHNOLOGY_CATEGORIES])
def test_the_member_files_each_technology_category(portal: FlaskClient, category: str) -> None:
    response = file_for_others(
        portal, category=category, product_user="no", external_reference="flag #55012"
    )

    grievance = filed(response)
    assert (grievance.category, grievance.product_user) == (category, "no")
    assert grievance.external_reference == "flag #55012"


def test_a_reference_too_long_is_refused_on_the_form(portal: FlaskClient) -> None:
    before = db.session.scalar(select(func.count(Grievance.id)))

    response = file_for_others(portal, category="privacy", external_reference="x" * 201)

    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Grievance.id))) == before


def test_the_member_asks_for_an_explanation_for_the_people(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, category=Category.AUTOMATED_DECISION)
    scenario.mandate(grievance)
    assert f"/tracks/{track.id}/explain" in portal.get(page_of(grievance)).get_data(as_text=True)

    page = act(portal, grievance, f"/tracks/{track.id}/explain", {"question": "Why the ban?"})

    assert "You asked for an explanation of the automated decision, for the people." in page
    asked = next(t for t in fresh(grievance).tracks if t.id == track.id)
    assert asked.state == "explanation_requested"
    assert asked.explanation_question == "Why the ban?"
    assert db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.grievance_id == grievance.id,
            OutboxMessage.template == "explanation_requested",
        )
    ).all()


def test_no_explanation_is_offered_on_another_category(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, category=Category.LAND)
    scenario.mandate(grievance)

    html = portal.get(page_of(grievance)).get_data(as_text=True)

    assert f"/tracks/{track.id}/explain" not in html

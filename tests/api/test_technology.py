"""Technology harms through the API: the four categories, whether the person uses the
product, the external reference, and the explanation of an automated decision with its
own deadline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from remedy.cases.deadlines import run_deadlines
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models import Category, Grievance, OutboxMessage, TrackKind
from remedy.models.grievance import TECHNOLOGY_CATEGORIES
from remedy.models.types import utcnow
from tests.api.conftest import Api, Cast
from tests.api.test_grievances import filing, mandate, stored
from tests.workflows.scenarios import Scenario

ACCOUNT = "acct:7731-KE"


def track_path(grievance: Grievance, trigger: str = "") -> str:
    track = grievance.tracks[0]
    path = f"/grievances/{grievance.reference}/tracks/{track.id}/triggers"
    return f"{path}/{trigger}" if trigger else path


def automated_case(scenario: Scenario) -> Grievance:
    grievance, _tracks = scenario.in_remedy(TrackKind.CAUSE, category=Category.AUTOMATED_DECISION)
    scenario.mandate(grievance)
    return grievance


def told(grievance: Grievance, template: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.grievance_id == grievance.id, OutboxMessage.template == template
            )
        )
    )


# Filing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("category", [category.value for category in TECHNOLOGY_CATEGORIES])
def test_a_proxy_files_each_technology_category_with_a_user_status_and_a_reference(
    cast: Cast, api_for: Callable[[Actor], Api], category: str
) -> None:
    body = filing(
        category=category, product_user="no", external_reference=f"  {ACCOUNT} ", mandate=mandate()
    )

    response = api_for(cast.proxy).post("/grievances", body)

    assert response.status_code == 201, response.get_json()
    grievance = stored(response.get_json()["reference"])
    assert (grievance.category, grievance.product_user) == (category, "no")
    assert grievance.external_reference == ACCOUNT
    read = api_for(cast.handler).get(f"/grievances/{grievance.reference}").get_json()
    assert (read["category"], read["product_user"]) == (category, "no")
    assert read["external_reference"] == ACCOUNT


def test_without_the_technology_answers_they_stay_unknown(handler_api: Api) -> None:
    response = handler_api.post("/grievances", filing(category="privacy"))

    read = response.get_json()["grievance"]
    assert (read["product_user"], read["external_reference"]) == (None, None)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("product_user", "sometimes"),
        ("external_reference", "x" * 201),
        ("external_reference", "acct\n7731"),
        ("category", "algorithm"),
    ],
)
def test_a_bad_technology_answer_is_a_clear_422(handler_api: Api, field: str, value: Any) -> None:
    before = db.session.scalar(select(func.count(Grievance.id)))

    response = handler_api.post("/grievances", filing(**{field: value}))

    assert response.status_code == 422, response.get_json()
    assert db.session.scalar(select(func.count(Grievance.id))) == before


def test_the_reference_is_hidden_from_readers_who_may_not_know_the_people(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    filed = api_for(cast.handler).post(
        "/grievances", filing(category="online_content", external_reference=ACCOUNT)
    )
    reference = filed.get_json()["reference"]

    auditor = api_for(cast.auditor).get(f"/grievances/{reference}").get_json()

    assert auditor["external_reference"] is None
    assert auditor["category"] == "online_content"


# The explanation of an automated decision ---------------------------------------------------


def test_the_proxy_asks_and_the_team_explains_in_the_people_s_messages(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = automated_case(cast.scenario)
    proxy, handler = api_for(cast.proxy), api_for(cast.handler)
    assert "request_explanation" in {
        item["trigger"] for item in proxy.get(track_path(grievance)).get_json()["items"]
    }

    asked = proxy.post(
        track_path(grievance, "request_explanation"), {"question": "Why was I scored absent?"}
    )

    assert asked.status_code == 200, asked.get_json()
    track = grievance.tracks[0]
    db.session.refresh(track)
    assert (track.state, track.explanation_asked_in) == ("explanation_requested", "planning")
    assert track.explanation_question == "Why was I scored absent?"
    assert track.due_at is not None
    assert track.due_at - utcnow() > timedelta(days=29)
    assert told(grievance, "explanation_requested")

    given = handler.post(
        track_path(grievance, "give_explanation"),
        {"explanation": "Days without a badge scan were counted as absences."},
    )

    assert given.status_code == 200, given.get_json()
    db.session.refresh(track)
    assert (track.state, track.explanation_asked_in) == ("planning", None)
    assert track.explanation_given == "Days without a badge scan were counted as absences."
    bodies = [message.body for message in told(grievance, "explanation_given")]
    assert bodies
    assert all("Days without a badge scan" in body for body in bodies)


def test_the_explanation_needs_its_text(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = automated_case(cast.scenario)
    handler = api_for(cast.handler)
    handler.post(track_path(grievance, "request_explanation"), {})

    response = handler.post(track_path(grievance, "give_explanation"), {"explanation": " "})

    assert response.status_code == 422, response.get_json()
    db.session.refresh(grievance.tracks[0])
    assert grievance.tracks[0].state == "explanation_requested"


def test_a_missed_explanation_deadline_makes_the_track_overdue(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = automated_case(cast.scenario)
    handler = api_for(cast.handler)
    handler.post(track_path(grievance, "request_explanation"), {})
    track = grievance.tracks[0]
    db.session.refresh(track)
    assert track.due_at is not None
    assert run_deadlines(track.due_at - timedelta(minutes=1)).tracks_overdue == 0
    track.due_at = utcnow() - timedelta(minutes=1)  # as if the 30 days had passed
    db.session.commit()

    report = run_deadlines()

    assert report.tracks_overdue == 1
    db.session.refresh(track)
    assert track.overdue_at is not None
    read = handler.get(f"/grievances/{grievance.reference}").get_json()
    assert read["tracks"][0]["state"] == "explanation_requested"
    assert read["tracks"][0]["overdue"] is True
    assert told(grievance, "delayed"), "the people hear that the explanation is late"


def test_an_explanation_is_refused_when_no_automated_decision_is_at_stake(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, _tracks = cast.scenario.in_remedy(TrackKind.CAUSE, category=Category.LAND)
    handler = api_for(cast.handler)
    offered = {item["trigger"] for item in handler.get(track_path(grievance)).get_json()["items"]}

    response = handler.post(track_path(grievance, "request_explanation"), {})

    assert "request_explanation" not in offered
    assert response.status_code == 409, response.get_json()
    assert "automated decision" in response.get_json()["detail"]
    db.session.refresh(grievance.tracks[0])
    assert grievance.tracks[0].state == "planning"

"""The API changes a case's reprisal risk as the console does: the mechanism's protection
officers and supervisors, with a reason and the case's ETag; discreet messages follow."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import ReprisalRisk
from remedy.models.involvement_track import TrackKind
from tests.api.conftest import Api, Cast

BODY = {"risk": "high", "reason": "Guards came to his house."}


def path(reference: str) -> str:
    return f"/grievances/{reference}/reprisal-risk"


def test_a_protection_officer_raises_the_risk(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = cast.file()
    answer = api_for(cast.protection_officer).post(path(grievance.reference), BODY)

    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["reprisal_risk"] == "high"
    assert answer.get_json()["discreet_messages"] is True
    db.session.refresh(grievance)
    assert grievance.reprisal_risk is ReprisalRisk.HIGH


@pytest.mark.parametrize("who", ["handler", "company_supervisor"])
def test_others_are_refused(cast: Cast, api_for: Callable[[Actor], Api], who: str) -> None:
    grievance, _tracks = cast.in_remedy(TrackKind.CAUSE)
    answer = api_for(getattr(cast, who)).post(path(grievance.reference), BODY)
    assert answer.status_code == 403
    db.session.refresh(grievance)
    assert grievance.reprisal_risk is ReprisalRisk.NONE


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"risk": "high"}, 422),
        ({"risk": "extreme", "reason": "x"}, 422),
        ({"risk": "none", "reason": "Nothing new."}, 422),
    ],
)
def test_bad_input_is_422(
    cast: Cast, api_for: Callable[[Actor], Api], body: dict[str, str], status: int
) -> None:
    grievance = cast.file()
    answer = api_for(cast.protection_officer).post(path(grievance.reference), body)
    assert answer.status_code == status


def test_without_if_match_it_is_428(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = cast.file()
    answer = api_for(cast.protection_officer).post(path(grievance.reference), BODY, if_match=False)
    assert answer.status_code == 428


def test_an_organisation_does_not_read_that_the_risk_was_changed(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, _tracks = cast.in_remedy(TrackKind.CAUSE)
    assert api_for(cast.protection_officer).post(path(grievance.reference), BODY).status_code == 200
    events = f"/grievances/{grievance.reference}/audit-events"

    def actions(who: Actor) -> set[str]:
        return {event["action"] for event in api_for(who).get(events).get_json()["items"]}

    assert "grievance.reprisal_risk" in actions(cast.handler)
    assert "grievance.reprisal_risk" not in actions(cast.company_handler)

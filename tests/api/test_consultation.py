"""Through the API as on the portal: a proxy deciding for a group says how the people were
consulted, or nothing is decided."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models import GroupConsultation, TrackKind
from remedy.models.group_consultation import ConsultationMethod, GroupDecision
from remedy.models.types import utcnow
from remedy.workflows.definition import MandateScope
from tests.api.conftest import Api, Cast

CONSULTATION = {
    "method": "phone_calls",
    "held_on": utcnow().date().isoformat(),
    "participants": 14,
    "notes": "All but one agreed.",
}


def group_case(cast: Cast, state: str) -> tuple[str, int]:
    grievance, (track,) = cast.scenario.in_remedy(TrackKind.CAUSE, people=3)
    cast.scenario.mandate(grievance, tuple(MandateScope))
    cast.scenario.to_track_state(track, state)
    return f"/grievances/{grievance.reference}", track.id


def test_accepting_for_a_group_needs_the_consultation(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    base, track_id = group_case(cast, "proposed")
    proxy = api_for(cast.proxy)
    path = f"{base}/tracks/{track_id}/triggers/accept_proposal"

    refused = proxy.post(path, {})
    accepted = proxy.post(path, {"consultation": CONSULTATION})

    assert refused.status_code == 422
    assert "say how they were consulted" in str(refused.get_json())
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["tracks"][0]["state"] == "implementing"
    row = db.session.scalars(select(GroupConsultation)).one()
    assert (row.decision, row.method, row.participants, row.notes) == (
        GroupDecision.ACCEPT_PROPOSAL,
        ConsultationMethod.PHONE_CALLS,
        14,
        "All but one agreed.",
    )


def test_answering_a_group_check_in_takes_the_consultation(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    base, _track_id = group_case(cast, "verifying")
    proxy = api_for(cast.proxy)
    items = proxy.get(f"{base}/check-ins").get_json()["items"]
    (group_question,) = [c for c in items if c["is_open"] and c["person_pseudonym"] is None]
    path = f"{base}/check-ins/{group_question['id']}/answer"

    refused = proxy.post(path, {"answer": "yes"})
    answered = proxy.post(path, {"answer": "yes", "consultation": CONSULTATION})

    assert refused.status_code == 422
    assert answered.status_code == 200, answered.get_json()
    assert db.session.scalars(select(GroupConsultation)).one().decision is GroupDecision.CHECK_IN


def test_a_consultation_from_the_team_is_refused(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    base, _track_id = group_case(cast, "planning")
    team = api_for(cast.handler)

    response = team.post(
        f"{base}/triggers/request_info", {"question": "Where?", "consultation": CONSULTATION}
    )

    assert response.status_code == 422  # not a field of this step


def test_the_openapi_document_describes_the_consultation(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    document = api_for(cast.handler).get("/openapi.json").get_json()

    schemas = document["components"]["schemas"]
    consultation = next(s for name, s in schemas.items() if name.startswith("Consultation"))
    assert set(consultation["required"]) == {"method", "held_on", "participants"}
    assert "group" in str(schemas)

"""POST /grievances/{reference}/fairness: once the case is over, a proxy says for a person
its mandate covers how fair the handling was, as on its portal (If-Match, 1 to 5, a
problem document for anything else, never staff)."""

from __future__ import annotations

from collections.abc import Callable

from remedy.cases import intake
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models import Grievance
from remedy.models.mechanism_feedback import FeedbackVia
from tests.api.conftest import Api, Cast
from tests.fairness_support import answers_to_fairness as rows


def ended(cast: Cast, people: int = 1) -> Grievance:
    grievance = cast.file(people=people)
    cast.mandate(grievance)
    intake.reject(cast.handler, grievance, "Outside our operations.", cast.court())
    db.session.commit()
    return grievance


def test_a_proxy_answers_for_the_person_of_the_case(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = ended(cast)
    api = api_for(cast.proxy)
    path = f"/grievances/{grievance.reference}/fairness"
    before = api.get(f"/grievances/{grievance.reference}").headers["ETag"]

    refused = api.post(path, {"score": 4}, if_match=False)
    response = api.post(path, {"score": 4, "comment": "They came twice."})

    assert refused.status_code == 428
    assert response.status_code == 200, response.get_json()
    assert response.headers["ETag"] != before
    (given,) = rows(grievance)
    assert (given.score, given.comment, given.via) == (4, "They came twice.", FeedbackVia.PROXY)
    assert given.person_id == grievance.people[0].person_id
    assert given.proxy_organisation_id == cast.ngo.id


def test_in_a_group_the_proxy_names_the_person(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = ended(cast, people=2)
    second = grievance.people[1].person_id
    api = api_for(cast.proxy)

    response = api.post(
        f"/grievances/{grievance.reference}/fairness", {"score": 2, "person_id": second}
    )

    assert response.status_code == 200, response.get_json()
    assert [(f.person_id, f.score) for f in rows(grievance)] == [(second, 2)]


def test_a_score_outside_1_to_5_is_a_problem_and_changes_nothing(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = ended(cast)
    api = api_for(cast.proxy)

    for body in ({"score": 0}, {"score": 6}, {"score": "four"}, {}):
        response = api.post(f"/grievances/{grievance.reference}/fairness", body)
        assert response.status_code == 422, body
        assert response.mimetype == "application/problem+json"

    assert rows(grievance) == []


def test_staff_cannot_answer_for_the_people(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = ended(cast)

    response = api_for(cast.handler).post(
        f"/grievances/{grievance.reference}/fairness", {"score": 5}
    )

    assert response.status_code == 403
    assert rows(grievance) == []


def test_an_open_case_is_not_asked_yet(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = cast.file()
    cast.mandate(grievance)
    db.session.commit()

    response = api_for(cast.proxy).post(f"/grievances/{grievance.reference}/fairness", {"score": 5})

    assert response.status_code == 409
    assert rows(grievance) == []

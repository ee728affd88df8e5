"""Workflow steps through the API: what is offered now, with which fields, and taking a
step with its ETag; a whole case from filing to remedied without the console."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.cases import intake
from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import TrackKind
from remedy.models.referral import Referral
from tests.api.conftest import Api, Cast
from tests.workflows.scenarios import Scenario


def offered(api: Api, path: str) -> dict[str, dict[str, Any]]:
    response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return {item["trigger"]: item for item in response.get_json()["items"]}


def reload(grievance: Grievance) -> Grievance:
    db.session.expire_all()
    fresh = db.session.get(Grievance, grievance.id)
    assert fresh is not None
    return fresh


def test_the_team_is_offered_the_screening_steps_with_their_fields(
    handler_api: Api, scenario: Scenario
) -> None:
    grievance = scenario.file()

    steps = offered(handler_api, f"/grievances/{grievance.reference}/triggers")

    assert set(steps) == {"accept", "reject", "request_info"}
    reject = steps["reject"]
    assert reject["to_state"] == "not_admissible"
    assert reject["href"] == f"/api/v1/grievances/{grievance.reference}/triggers/reject"
    fields = {field["name"]: field for field in reject["fields"]}
    assert fields["reason"]["type"] == "string"
    assert fields["reason"]["required"]
    assert fields["referral"]["type"] == "integer"
    assert fields["referral"]["required"]
    assert steps["accept"]["fields"] == []


def test_classify_describes_its_list_of_tracks(handler_api: Api, scenario: Scenario) -> None:
    grievance = scenario.in_assessment()

    steps = offered(handler_api, f"/grievances/{grievance.reference}/triggers")

    fields = {field["name"]: field for field in steps["classify"]["fields"]}
    assert fields["tracks"]["type"] == "array"
    assert fields["tracks"]["schema"] == "#/components/schemas/TrackPlanInput"
    assert fields["severity"]["schema"] == "#/components/schemas/SeverityInput"


def test_nothing_is_offered_to_those_who_may_not_act(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = cast.file()
    for who in (cast.auditor, cast.protection_officer, cast.admin):
        assert offered(api_for(who), f"/grievances/{grievance.reference}/triggers") == {}


def test_taking_a_step_returns_the_case_with_its_new_etag(
    handler_api: Api, scenario: Scenario
) -> None:
    grievance = scenario.file()
    before = handler_api.get(f"/grievances/{grievance.reference}").headers["ETag"]

    response = handler_api.post(f"/grievances/{grievance.reference}/triggers/accept")

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "assessment"
    assert response.headers["ETag"] != before
    assert reload(grievance).state == "assessment"


def test_if_match_with_the_current_etag_goes_ahead(handler_api: Api, scenario: Scenario) -> None:
    grievance = scenario.file()
    etag = handler_api.get(f"/grievances/{grievance.reference}").headers["ETag"]

    response = handler_api.post(
        f"/grievances/{grievance.reference}/triggers/accept", headers={"If-Match": etag}
    )

    assert response.status_code == 200


def test_if_match_with_an_old_etag_is_412_and_changes_nothing(
    handler_api: Api, scenario: Scenario
) -> None:
    grievance = scenario.file()
    etag = handler_api.get(f"/grievances/{grievance.reference}").headers["ETag"]
    intake.request_info(scenario.handler, grievance, "Which well?")
    intake.provide_information(scenario.handler, grievance, "The one by the school.")

    response = handler_api.post(
        f"/grievances/{grievance.reference}/triggers/accept", headers={"If-Match": etag}
    )

    assert response.status_code == 412
    assert response.get_json()["type"] == "/api/v1/docs#problem-precondition-failed"
    assert reload(grievance).state == "screening"


@pytest.mark.commits  # another thread commits on its own connection
def test_a_change_that_crosses_the_step_is_a_409_conflict(
    app: Flask, handler_api: Api, scenario: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone else's step commits after this request read the case and before it saved."""
    from remedy.api import views

    grievance = scenario.file()
    original = views._check_if_match

    def meanwhile(loaded: Grievance) -> None:
        original(loaded)

        def other_handler() -> None:
            with app.app_context():
                other = db.session.get(Grievance, loaded.id)
                assert other is not None
                intake.request_info(scenario.supervisor, other, "Who built the fence?")
                db.session.remove()

        thread = threading.Thread(target=other_handler)
        thread.start()
        thread.join()

    monkeypatch.setattr(views, "_check_if_match", meanwhile)

    response = handler_api.post(f"/grievances/{grievance.reference}/triggers/accept")

    assert response.status_code == 409, response.get_json()
    assert response.get_json()["type"] == "/api/v1/docs#problem-version-conflict"
    assert reload(grievance).state == "awaiting_complainant", "only the other change saved"


def test_a_step_not_possible_now_is_409_trigger_refused(
    handler_api: Api, scenario: Scenario
) -> None:
    grievance = scenario.in_assessment()

    response = handler_api.post(f"/grievances/{grievance.reference}/triggers/accept")

    assert response.status_code == 409
    body = response.get_json()
    assert body["type"] == "/api/v1/docs#problem-trigger-refused"
    assert "Assessment" in body["detail"]


@pytest.mark.parametrize("trigger", ["fly", "acknowledge", "resolve", "confirm"])
def test_steps_the_api_does_not_take_are_404(
    handler_api: Api, scenario: Scenario, trigger: str
) -> None:
    grievance = scenario.file()
    response = handler_api.post(f"/grievances/{grievance.reference}/triggers/{trigger}")
    assert response.status_code == 404


def test_a_step_for_someone_else_is_403(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance = cast.file()
    cast.mandate(grievance)

    response = api_for(cast.proxy).post(f"/grievances/{grievance.reference}/triggers/accept")

    assert response.status_code == 403
    assert reload(grievance).state == "screening"


def test_a_rejection_needs_a_reason_and_a_mechanism_of_the_directory(
    handler_api: Api, scenario: Scenario
) -> None:
    grievance = scenario.file()
    path = f"/grievances/{grievance.reference}/triggers/reject"

    missing = handler_api.post(path, {"referral": scenario.court()})
    blank = handler_api.post(path, {"reason": "  ", "referral": scenario.court()})
    unknown = handler_api.post(path, {"reason": "Outside our operations.", "referral": 99999})

    assert missing.status_code == 422
    assert "reason" in missing.get_json()["errors"]
    assert blank.status_code == 422
    assert "reason" in blank.get_json()["errors"]
    assert unknown.status_code == 422
    assert "referral" in unknown.get_json()["errors"]
    assert reload(grievance).state == "screening"

    done = handler_api.post(
        path, {"reason": "Outside our operations.", "referral": scenario.court()}
    )

    assert done.status_code == 200, done.get_json()
    assert done.get_json()["state"] == "not_admissible"
    assert db.session.scalar(select(Referral.grievance_id)) == grievance.id


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"[" * 100_000, "application/json", 400),
        (b"reason=x", "application/x-www-form-urlencoded", 415),
        (b'"a string"', "application/json", 422),
        (b"[]", "application/json", 422),
        (b'{"reason": 42}', "application/json", 422),
        (b"x" * (1024 * 1024 + 1), "application/json", 413),
    ],
    ids=["malformed", "deeply nested", "form", "string", "list", "wrong type", "huge"],
)
def test_bad_bodies_are_4xx_problems(
    handler_api: Api, scenario: Scenario, body: bytes, content_type: str, status: int
) -> None:
    grievance = scenario.file()

    response = handler_api.client.post(
        f"/api/v1/grievances/{grievance.reference}/triggers/request_info",
        data=body,
        content_type=content_type,
        headers=handler_api.headers(),
    )

    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"


# Tracks --------------------------------------------------------------------------------


def classify_body(cast: Cast, *kinds: str) -> dict[str, Any]:
    organisations = [cast.company, cast.partner]
    return {
        "tracks": [
            {
                "organisation_id": organisations[i].id,
                "kind": kind,
                "rationale": f"Assessed: {kind}.",
            }
            for i, kind in enumerate(kinds)
        ],
        "severity": {"scale": 3, "scope": 2, "irremediability": 1},
    }


def test_a_whole_case_through_the_api(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    """Filed by a proxy, handled by the team, accepted and confirmed by the proxy."""
    from tests.api.test_grievances import filing, mandate

    proxy, team = api_for(cast.proxy), api_for(cast.handler)
    reference = proxy.post("/grievances", filing(mandate=mandate())).get_json()["reference"]
    base = f"/grievances/{reference}"

    assert team.post(f"{base}/triggers/accept").status_code == 200
    classified = team.post(f"{base}/triggers/classify", classify_body(cast, "cause"))
    assert classified.status_code == 200, classified.get_json()
    (track,) = classified.get_json()["tracks"]
    assert (track["kind"], track["state"]) == ("cause", "planning")
    assert classified.get_json()["severity"] == 3

    track_path = f"{base}/tracks/{track['id']}"
    # Parallel proceedings may pause any open track.
    assert set(offered(team, f"{track_path}/triggers")) == {
        "propose_remedy",
        "enter_parallel_proceedings",
    }
    proposed = team.post(
        f"{track_path}/triggers/propose_remedy",
        {"actions": [{"type": "cessation", "description": "Remove the fence."}]},
    )
    assert proposed.status_code == 200, proposed.get_json()

    # The people may also contest how the organisation is involved, while the track is open.
    assert set(offered(proxy, f"{track_path}/triggers")) == {
        "accept_proposal",
        "decline_proposal",
        "contest_classification",
    }
    assert proxy.post(f"{track_path}/triggers/accept_proposal").status_code == 200

    (action,) = team.get(f"{base}/remedy-actions").get_json()["items"]
    delivered = team.post(
        f"{base}/remedy-actions/{action['id']}/delivery", {"evidence": "Photos of the path."}
    )
    assert delivered.status_code == 200, delivered.get_json()
    assert delivered.get_json()["tracks"][0]["state"] == "verifying"

    open_check_ins = [c for c in proxy.get(f"{base}/check-ins").get_json()["items"] if c["is_open"]]
    assert open_check_ins
    for check_in in open_check_ins:
        answered = proxy.post(f"{base}/check-ins/{check_in['id']}/answer", {"answer": "yes"})
        assert answered.status_code == 200, answered.get_json()

    final = team.get(base).get_json()
    assert final["state"] == "resolved"
    assert final["outcome"] == "remedied"


def test_the_team_does_not_answer_check_ins(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.verify(track)
    check_in = cast.open_check_ins(track)[0]

    response = api_for(cast.handler).post(
        f"/grievances/{grievance.reference}/check-ins/{check_in.id}/answer", {"answer": "yes"}
    )

    assert response.status_code == 403


def test_a_directly_linked_track_records_leverage(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.DIRECTLY_LINKED)
    team = api_for(cast.handler)
    path = f"/grievances/{grievance.reference}/tracks/{track.id}/triggers"

    assert "record_leverage" in offered(team, path), "its own fields bring the leverage plan"
    response = team.post(
        f"{path}/record_leverage",
        {"leverage": {"type": "raise_issue", "target": "Rift Haulage", "description": "Letter."}},
    )

    assert response.status_code == 200, response.get_json()
    (recorded,) = team.get(f"/grievances/{grievance.reference}/leverage-actions").get_json()[
        "items"
    ]
    assert (recorded["type"], recorded["target"]) == ("raise_issue", "Rift Haulage")


def test_a_company_acts_on_its_own_track_only(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance, (own, other) = cast.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    company = api_for(cast.company_handler)
    base = f"/grievances/{grievance.reference}/tracks"

    assert set(offered(company, f"{base}/{own.id}/triggers")) == {
        "propose_remedy",
        "enter_parallel_proceedings",
    }
    assert company.get(f"{base}/{other.id}/triggers").status_code == 404
    refused = company.post(f"{base}/{other.id}/triggers/escalate", {"reason": "No answer."})
    assert refused.status_code == 404
    assert [
        t["id"] for t in company.get(f"/grievances/{grievance.reference}").get_json()["tracks"]
    ] == [own.id]


def test_a_proxy_with_a_mandate_withdraws(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance, (_track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)

    response = api_for(cast.proxy).post(f"/grievances/{grievance.reference}/triggers/withdraw")

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["state"] == "withdrawn"
    assert body["tracks"][0]["state"] == "withdrawn"


def test_an_appeal_is_reviewed_by_a_supervisor_through_the_api(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = cast.to_grievance_state("not_admissible")
    cast.mandate(grievance)
    base = f"/grievances/{grievance.reference}/triggers"

    appealed = api_for(cast.proxy).post(f"{base}/appeal", {"reason": "It is their site."})
    assert appealed.status_code == 200, appealed.get_json()
    assert set(offered(api_for(cast.supervisor), base)) == {"uphold", "overturn"}
    overturned = api_for(cast.supervisor).post(f"{base}/overturn", {"reason": "It is."})

    assert overturned.status_code == 200, overturned.get_json()
    assert overturned.get_json()["state"] == "screening"


def test_every_step_asks_for_the_fields_its_workflow_requires() -> None:
    """The API's field schemas and the workflows' declared required fields agree."""
    from remedy.api.actions import GRIEVANCE_ACTIONS, TRACK_ACTIONS
    from remedy.workflows import CAUSE, CONTRIBUTE, DIRECTLY_LINKED, INTAKE

    for workflows, actions in (
        ((INTAKE,), GRIEVANCE_ACTIONS),
        ((CAUSE, CONTRIBUTE, DIRECTLY_LINKED), TRACK_ACTIONS),
    ):
        known = {t.trigger for workflow in workflows for t in workflow.transitions}
        assert set(actions) <= known, "a step no workflow has"
        for workflow in workflows:
            for transition in workflow.transitions:
                action = actions.get(transition.trigger)
                if action is None:
                    continue
                required = {
                    name for name, field in action.schema().fields.items() if field.required
                }
                assert set(transition.requires) <= required, (workflow.name, transition.trigger)

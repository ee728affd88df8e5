"""A referral handed off through the API: the receiving body (a ``referral_partner``
account) lists and reads only what was referred to it, reads the pack the people's consent
allows, and answers with an acknowledgement, news and an outcome; every other endpoint
refuses it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from remedy.cases import handoffs, state_actors
from remedy.core.extensions import db
from remedy.models import AuditEvent, ConsentVia, StateActorKind
from remedy.models.types import utcnow
from tests.api.conftest import API, Api, Cast, cast  # noqa: F401 (fixtures)
from tests.handoffs import TOLD, Body, connected_bodies, refer_track
from tests.workflows.scenarios import Scenario


@pytest.fixture
def body(scenario: Scenario) -> Body:
    return connected_bodies()


def consent(scenario: Scenario, referral_id: int, given: bool) -> None:
    referral = handoffs.find_referral(scenario.handler, referral_id)
    handoffs.record_consent(scenario.handler, referral, given, ConsentVia.SMS)
    db.session.commit()


def test_the_body_lists_and_reads_only_what_was_referred_to_it(
    scenario: Scenario, body: Body, api_for: Callable[..., Api]
) -> None:
    _grievance, _track, ours = refer_track(scenario, body.mechanism)
    _other, _t, theirs = refer_track(scenario, body.other_mechanism)
    partner = api_for(body.partner)

    listed = partner.get("/referrals")

    assert listed.status_code == 200
    assert [item["id"] for item in listed.get_json()["items"]] == [ours.id]
    assert partner.get(f"/referrals/{ours.id}").status_code == 200
    assert partner.get(f"/referrals/{theirs.id}").status_code == 404
    assert partner.get(f"/referrals/{theirs.id}/pack").status_code == 404
    refused = partner.post(f"/referrals/{theirs.id}/updates", {"kind": "update", "text": "x"})
    assert refused.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/grievances",
        "/grievances/{reference}",
        "/grievances/{reference}/messages",
        "/grievances/{reference}/triggers",
        "/grievances/{reference}/audit-events",
    ],
)
def test_every_other_endpoint_refuses_the_body(
    scenario: Scenario, body: Body, api_for: Callable[..., Api], path: str
) -> None:
    grievance, _track, _referral = refer_track(scenario, body.mechanism)

    response = api_for(body.partner).get(path.format(reference=grievance.reference))

    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_the_body_may_not_file_nor_record_consent(
    scenario: Scenario, body: Body, api_for: Callable[..., Api]
) -> None:
    _grievance, _track, referral = refer_track(scenario, body.mechanism)
    partner = api_for(body.partner)

    consent_posted = partner.post(
        f"/referrals/{referral.id}/consent", {"consent": True, "via": "sms"}
    )
    filed = partner.post("/grievances", {"description": "x"})

    assert consent_posted.status_code == 403
    assert filed.status_code == 403


def test_without_consent_the_pack_holds_no_personal_data(
    scenario: Scenario, body: Body, api_for: Callable[..., Api]
) -> None:
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    consent(scenario, referral.id, False)
    person = grievance.people[0].person

    pack = api_for(body.partner).get(f"/referrals/{referral.id}/pack").get_json()

    assert pack["personal_data"] is False
    assert "no personal data" in pack["notice"]
    assert pack["case"]["description"] is None
    assert pack["people"] == [{"pseudonym": person.pseudonym, "role": "complainant"}]
    assert person.name not in str(pack)
    assert TOLD not in str(pack)


def test_with_consent_the_body_reads_the_file_and_each_pack_is_audited(
    scenario: Scenario, body: Body, api_for: Callable[..., Api]
) -> None:
    grievance, _track, referral = refer_track(scenario, body.mechanism)
    consent(scenario, referral.id, True)
    person = grievance.people[0].person

    pack = api_for(body.partner).get(f"/referrals/{referral.id}/pack").get_json()

    assert pack["personal_data"] is True
    assert pack["case"]["description"] == TOLD
    assert pack["people"][0]["name"] == person.name
    assert pack["consent"]["via"] == "sms"
    made = db.session.query(AuditEvent).filter_by(action="referral.pack").all()
    assert [(event.actor_id, event.subject_id) for event in made] == [
        (body.partner.id, str(referral.id))
    ]


def test_the_body_acknowledges_sends_news_and_tells_the_outcome(
    scenario: Scenario, body: Body, api_for: Callable[..., Api]
) -> None:
    _grievance, _track, referral = refer_track(scenario, body.mechanism)
    consent(scenario, referral.id, True)
    partner = api_for(body.partner)
    path = f"/referrals/{referral.id}/updates"

    acknowledged = partner.post(path, {"kind": "acknowledgement", "text": "Case opened."})
    assert acknowledged.status_code == 201
    assert acknowledged.get_json()["awaiting"] == "outcome"
    partner.post(path, {"kind": "update", "text": "Inspection on 3 March."})
    ended = partner.post(path, {"kind": "outcome", "text": "Back pay ordered."})
    late = partner.post(path, {"kind": "update", "text": "One more thing."})

    assert ended.status_code == 201
    body_read = ended.get_json()
    assert body_read["awaiting"] is None
    assert [(u["kind"], u["by_partner"]) for u in body_read["updates"]] == [
        ("acknowledgement", True),
        ("update", True),
        ("outcome", True),
    ]
    assert late.status_code == 409, "the hand-off is over: a conflict, not bad input"
    assert late.get_json()["type"].endswith("#problem-trigger-refused")
    # The team reads the same news.
    handler_view = api_for(scenario.handler).get(f"/referrals/{referral.id}").get_json()
    assert handler_view["outcome_at"] is not None


def test_bad_news_is_a_clear_422(
    scenario: Scenario, body: Body, api_for: Callable[..., Api]
) -> None:
    _grievance, _track, referral = refer_track(scenario, body.mechanism)
    partner = api_for(body.partner)

    unknown = partner.post(f"/referrals/{referral.id}/updates", {"kind": "verdict", "text": "x"})
    blank = partner.post(f"/referrals/{referral.id}/updates", {"kind": "update", "text": " "})

    assert unknown.status_code == 422
    assert blank.status_code == 422


def test_staff_record_consent_through_the_api(
    scenario: Scenario, body: Body, api_for: Callable[..., Api]
) -> None:
    _grievance, _track, referral = refer_track(scenario, body.mechanism)

    answered = api_for(scenario.handler).post(
        f"/referrals/{referral.id}/consent",
        {"consent": True, "via": "voice", "shared": "The complaint and the payslips."},
    )

    assert answered.status_code == 200
    read = answered.get_json()
    assert (read["consent"], read["consent_via"], read["shared"]) == (
        True,
        "voice",
        "The complaint and the payslips.",
    )
    assert read["consent_at"] <= utcnow().isoformat()


def test_an_organisations_staff_read_no_referral(
    cast: Cast,  # noqa: F811
    body: Body,
    api_for: Callable[..., Api],
) -> None:
    _grievance, _track, referral = refer_track(cast.scenario, body.mechanism)
    company = api_for(cast.company_handler)

    assert company.get(f"/referrals/{referral.id}").status_code == 404
    assert company.get("/referrals").status_code == 403


def test_state_actors_show_in_the_grievance_detail_for_the_mechanisms_staff_only(
    cast: Cast,  # noqa: F811
    api_for: Callable[..., Api],
) -> None:
    grievance, _tracks = cast.scenario.in_remedy()
    state_actors.record_state_actor(
        cast.handler, grievance, StateActorKind.LOCAL_AUTHORITY, "Kitui county", "Fenced the well."
    )
    db.session.commit()

    staff = api_for(cast.handler).get(f"/grievances/{grievance.reference}").get_json()
    company = api_for(cast.company_handler).get(f"/grievances/{grievance.reference}").get_json()

    assert [(p["kind"], p["name"], p["conduct"]) for p in staff["state_actors"]] == [
        ("local_authority", "Kitui county", "Fenced the well.")
    ]
    assert "state_actors" not in company


__all__ = ["API"]

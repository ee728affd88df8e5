"""What a grievance holds, as far as the caller may see it: remedy and leverage actions,
check-ins, messages and audit events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from remedy.cases import intake
from remedy.cases.check_ins import answer_check_in
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.models.check_in import Answer
from remedy.models.involvement_track import TrackKind
from remedy.models.mandate import ConsentMethod
from remedy.models.organisation import Organisation
from remedy.models.outbox_message import MessageStatus, OutboxMessage
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope
from tests.api.conftest import Api, Cast


def items(api: Api, path: str) -> list[dict]:  # type: ignore[type-arg]
    response = api.get(path)
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["items"])


def test_remedy_actions_of_each_visible_track(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance, (own, other) = cast.in_remedy(TrackKind.CAUSE, TrackKind.CONTRIBUTE)
    cast.propose(own)
    cast.propose(other)
    path = f"/grievances/{grievance.reference}/remedy-actions"

    everything = items(api_for(cast.handler), path)
    company = items(api_for(cast.company_handler), path)

    assert {item["track_id"] for item in everything} == {own.id, other.id}
    assert {item["track_id"] for item in company} == {own.id}
    assert company[0]["type"] == "cessation"
    assert company[0]["status"] == "planned"
    leverage = items(api_for(cast.handler), f"/grievances/{grievance.reference}/leverage-actions")
    assert [item["track_id"] for item in leverage] == [other.id]
    assert (
        items(api_for(cast.company_handler), f"/grievances/{grievance.reference}/leverage-actions")
        == []
    )


def test_check_ins_with_their_answers(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE, people=2)
    cast.verify(track)
    first = cast.open_check_ins(track)[0]
    answer_check_in(cast.complainant(grievance, first.person_id), first, Answer.YES, satisfaction=4)

    found = items(api_for(cast.handler), f"/grievances/{grievance.reference}/check-ins")

    assert len(found) == 2
    answered = next(item for item in found if item["id"] == first.id)
    assert answered["response"]["answer"] == "yes"
    assert answered["response"]["satisfaction"] == 4
    assert not answered["is_open"]
    assert all(item["person_pseudonym"].startswith("P-") for item in found)


def test_console_alerts_reach_only_the_team(cast: Cast, api_for: Callable[[Actor], Api]) -> None:
    grievance, (track,) = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)
    cast.verify(track)
    person_question = next(c for c in cast.open_check_ins(track) if c.person_id is not None)
    # A "no" disputes delivery, and the team is alerted in the console.
    answer_check_in(cast.complainant(grievance), person_question, Answer.NO)
    path = f"/grievances/{grievance.reference}/messages"

    team = items(api_for(cast.handler), path)
    company = items(api_for(cast.company_handler), path)
    proxy = items(api_for(cast.proxy), path)

    assert any(item["recipient"] == "staff" for item in team)
    assert any(item["recipient"] == "staff" for item in company), "alerts to its own members"
    assert len([i for i in company if i["recipient"] == "staff"]) < len(
        [i for i in team if i["recipient"] == "staff"]
    ), "not the alerts to the mechanism's own staff"
    assert not any(item["recipient"] == "staff" for item in proxy)
    assert any(item["recipient"] == f"organisation:{cast.ngo.id}" for item in proxy)


def test_another_organisations_messages_stay_with_it(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, _tracks = cast.in_remedy(TrackKind.CAUSE)
    cast.mandate(grievance)
    other_ngo = db.session.get(Organisation, cast.other_proxy.organisation_id)
    assert other_ngo is not None
    grant_mandate(
        OPERATOR,
        other_ngo,
        grievance,
        [MandateScope.FOLLOW],
        ConsentMethod.WRITTEN,
        utcnow().date() + timedelta(days=30),
    )
    path = f"/grievances/{grievance.reference}/messages"

    intake.withdraw(cast.complainant(grievance), grievance)  # both NGOs are told
    seen = {item["recipient"] for item in items(api_for(cast.proxy), path)}
    other = {item["recipient"] for item in items(api_for(cast.other_proxy), path)}

    assert any(r.startswith("organisation:") for r in seen)
    assert not (
        {r for r in seen if r.startswith("organisation:")}
        & {r for r in other if r.startswith("organisation:")}
    )


def test_audit_events_of_the_case_and_the_visible_tracks(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance, (own, other) = cast.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    path = f"/grievances/{grievance.reference}/audit-events"

    everything = items(api_for(cast.auditor), path)
    company = items(api_for(cast.company_handler), path)

    actions = [event["action"] for event in everything]
    assert actions[:2] == ["grievance.submit", "intake.acknowledge"]
    assert {e["subject_id"] for e in everything if e["subject_type"] == "track"} == {
        str(own.id),
        str(other.id),
    }
    assert {e["subject_id"] for e in company if e["subject_type"] == "track"} == {str(own.id)}
    assert [e["seq"] for e in everything] == sorted(e["seq"] for e in everything)
    assert api_for(cast.proxy).get(path).status_code == 404, "no mandate: not even seen"


def test_each_message_says_where_it_stands_and_why_in_the_callers_language(
    cast: Cast, api_for: Callable[[Actor], Api]
) -> None:
    grievance = cast.file()
    (acknowledgement,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.grievance_id == grievance.id)
    )
    acknowledgement.status = MessageStatus.FAILED
    acknowledgement.provider_status = "undelivered"
    acknowledgement.error_code = "30003"
    db.session.commit()
    api = api_for(cast.handler)
    path = f"/grievances/{grievance.reference}/messages"

    (english,) = items(api, path)
    french = api.get(path, headers={"Accept-Language": "fr"}).get_json()["items"][0]

    assert (english["delivery"], english["error_code"]) == ("failed", "30003")
    assert english["delivery_reason"] == "phone unreachable or switched off"
    assert french["delivery_reason"] == "téléphone injoignable ou éteint"

"""Acting for the people under a mandate: every action is checked when it is taken. Under a
valid mandate it goes through; after the mandate is withdrawn or has ended it is refused
with a clear message, and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.cases import intake
from remedy.core.extensions import db
from remedy.models import (
    AddedInformation,
    Answer,
    AuditEvent,
    CheckIn,
    Grievance,
    InvolvementTrack,
    Mandate,
    TrackKind,
)
from remedy.models.types import utcnow
from remedy.proxy.mandates import withdraw_mandate_as_person
from remedy.workflows.definition import MandateScope
from tests.proxy.portal import consulted, record_mandate_on_page, snapshot
from tests.support import csrf_token
from tests.workflows.scenarios import Scenario


@dataclass
class Case:
    grievance: Grievance
    track: InvolvementTrack

    @property
    def page(self) -> str:
        return page_of(self.grievance)

    def fresh(self) -> Grievance:
        return fresh(self.grievance)


def fresh(grievance: Grievance) -> Grievance:
    db.session.expire_all()
    found = db.session.get(Grievance, grievance.id)
    assert found is not None
    return found


def page_of(grievance: Grievance) -> str:
    return f"/proxy/cases/{grievance.reference}"


def act(
    client: FlaskClient, grievance: Grievance, path: str, data: dict[str, str] | None = None
) -> str:
    """Open the case page, then send one of its forms; the text of the page that answers."""
    page = page_of(grievance)
    token = csrf_token(client.get(page).get_data(as_text=True))
    response = client.post(page + path, data={**(data or {}), "csrf_token": token})
    if response.status_code == 302:
        return client.get(response.headers["Location"]).get_data(as_text=True)
    return f"{response.status_code} " + response.get_data(as_text=True)


def mandated(scenario: Scenario, state: str, scopes: tuple[MandateScope, ...] = ()) -> Case:
    """A case of two people, its track brought to ``state``, with the NGO's group mandate."""
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=2)
    scenario.mandate(grievance, scopes or tuple(MandateScope))
    scenario.to_track_state(track, state)
    return Case(grievance, track)


def test_the_member_accepts_a_proposal_for_the_people(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    shown = portal.get(case.page).get_data(as_text=True)
    assert "Remove the fence." in shown  # what is proposed, before answering

    page = act(portal, case.grievance, f"/tracks/{case.track.id}/accept", consulted())

    assert "You accepted the proposal for the people." in page
    assert case.fresh().tracks[0].state == "implementing"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "cause.accept_proposal")
    ).one()
    assert event.actor_kind == "proxy"


def test_the_member_declines_a_proposal_with_the_peoples_reason(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")

    page = act(
        portal,
        case.grievance,
        f"/tracks/{case.track.id}/decline",
        {"reason": "The path too.", **consulted()},
    )

    assert "You declined the proposal for the people." in page
    assert case.fresh().tracks[0].state == "dialogue"


def test_declining_needs_the_peoples_reason(portal: FlaskClient, scenario: Scenario) -> None:
    case = mandated(scenario, "proposed")
    before = snapshot(case.grievance)

    page = act(portal, case.grievance, f"/tracks/{case.track.id}/decline", {"reason": " "})

    assert page.startswith("400 ")
    assert "Give the reason." in page
    assert snapshot(case.grievance) == before


def test_the_member_answers_the_check_in_put_to_the_organisation(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "verifying")
    (question,) = [c for c in case.track.check_ins if c.proxy_organisation_id and c.is_open]

    page = act(
        portal,
        case.grievance,
        f"/check-ins/{question.id}",
        {"answer": "partly", "comment": "No well.", **consulted()},
    )

    assert "Your answer is recorded." in page
    db.session.expire_all()
    answered = db.session.get(CheckIn, question.id)
    assert answered is not None
    assert answered.response is not None
    assert (answered.response.answer, answered.response.comment) == (Answer.PARTLY, "No well.")


def test_the_member_adds_information_which_answers_the_teams_question(
    portal: FlaskClient, scenario: Scenario
) -> None:
    grievance = scenario.file(people=2)
    scenario.mandate(grievance)
    intake.request_info(scenario.handler, grievance, "Where exactly is the fence?")

    page = act(portal, grievance, "/information", {"information": "Beside the school."})

    assert "The information is added to the case." in page
    assert fresh(grievance).state == "screening"
    added = db.session.scalars(select(AddedInformation)).one()
    assert (added.text, added.added_by) == ("Beside the school.", "proxy")


def test_the_member_withdraws_the_grievance_only_with_confirmation(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "planning")
    before = snapshot(case.grievance)

    unconfirmed = act(portal, case.grievance, "/withdraw")

    assert unconfirmed.startswith("400 ")
    assert "Tick the box to confirm." in unconfirmed
    assert snapshot(case.grievance) == before

    page = act(portal, case.grievance, "/withdraw", {"confirm": "y"})

    assert "The grievance is withdrawn." in page
    assert case.fresh().state == "withdrawn"


def test_the_member_appeals_a_decision(portal: FlaskClient, scenario: Scenario) -> None:
    grievance = scenario.to_grievance_state("not_admissible")
    scenario.mandate(grievance)

    page = act(portal, grievance, "/appeal", {"reason": "The fence is on company land."})

    assert "The appeal is lodged." in page
    assert fresh(grievance).state == "under_review"


def test_the_case_page_offers_only_what_the_mandate_allows(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed", scopes=(MandateScope.FOLLOW,))

    page = portal.get(case.page).get_data(as_text=True)

    assert "Accept the proposal" not in page
    assert "Add the information" in page
    assert "Withdraw the grievance" in page


# Refused after withdrawal or expiry ---------------------------------------------------------


def withdrawn_by_the_person(case: Case) -> None:
    withdraw_mandate_as_person(case.grievance, None)


def ended_yesterday(case: Case) -> None:
    for mandate in db.session.scalars(
        select(Mandate).where(Mandate.grievance_id == case.grievance.id)
    ):
        mandate.valid_until = utcnow().date() - timedelta(days=1)
    db.session.commit()


ENDINGS: dict[str, tuple[Callable[[Case], None], str]] = {
    "withdrawn": (withdrawn_by_the_person, "The mandate was withdrawn on"),
    "expired": (ended_yesterday, "The mandate ended on"),
}


def check_in_for_the_organisation(case: Case) -> str:
    (question,) = [c for c in case.track.check_ins if c.proxy_organisation_id and c.is_open]
    return f"/check-ins/{question.id}"


ACTIONS: dict[str, tuple[str, Callable[[Case], str], dict[str, str]]] = {
    "accept": ("proposed", lambda c: f"/tracks/{c.track.id}/accept", {}),
    "decline": ("proposed", lambda c: f"/tracks/{c.track.id}/decline", {"reason": "No."}),
    "answer a check-in": ("verifying", check_in_for_the_organisation, {"answer": "no"}),
    "add information": ("planning", lambda c: "/information", {"information": "More."}),
    "withdraw": ("planning", lambda c: "/withdraw", {"confirm": "y"}),
}


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("action", ACTIONS)
def test_after_the_mandate_ends_every_action_is_refused_and_nothing_changes(
    portal: FlaskClient, scenario: Scenario, action: str, ending: str
) -> None:
    state, path_of, data = ACTIONS[action]
    end, explanation = ENDINGS[ending]
    case = mandated(scenario, state)
    path = path_of(case)
    # The member opened the case while the mandate was in force...
    token = csrf_token(portal.get(case.page).get_data(as_text=True))
    # ...then it ended before they sent the form.
    end(case)
    before = snapshot(case.grievance)

    response = portal.post(case.page + path, data={**data, "csrf_token": token})

    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert explanation in page
    assert "Nothing was changed." in page
    assert snapshot(case.grievance) == before


def test_once_the_mandate_ended_the_page_offers_no_action_and_says_why(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    withdrawn_by_the_person(case)

    page = portal.get(case.page).get_data(as_text=True)

    assert "You cannot act for the people on this case now." in page
    assert "The mandate was withdrawn on" in page
    assert "Accept the proposal" not in page
    assert "Nothing is waiting for your organisation now." in page
    assert "Withdrawn: by the people, on" in page


def test_a_mandate_without_the_scope_is_refused_with_what_it_lacks(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed", scopes=(MandateScope.FOLLOW,))
    before = snapshot(case.grievance)
    token = csrf_token(portal.get(case.page).get_data(as_text=True))

    response = portal.post(f"{case.page}/tracks/{case.track.id}/accept", data={"csrf_token": token})

    assert response.status_code == 403
    assert "Your organisation&#39;s mandate does not allow this." in response.get_data(as_text=True)
    assert snapshot(case.grievance) == before


def test_a_renewed_mandate_lets_the_member_act_again(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    ended_yesterday(case)
    record_mandate_on_page(portal, case.page)

    page = act(portal, case.grievance, f"/tracks/{case.track.id}/accept", consulted())
    assert "You accepted the proposal for the people." in page

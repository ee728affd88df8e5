"""A proxy deciding for a group says how it consulted the people: the method, the day, how
many took part, and notes kept encrypted. Without it nothing is decided; the team reads it
on the case page and in the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from remedy.cases import consultations, tracks
from remedy.cases.consultations import Consultation
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.models import AuditEvent, GroupConsultation, TrackKind
from remedy.models.group_consultation import ConsultationMethod, GroupDecision
from remedy.models.types import utcnow
from remedy.workflows.definition import MandateScope
from tests.console.case_support import console_for
from tests.proxy.portal import consulted, snapshot
from tests.proxy.test_acting import act, mandated
from tests.workflows.scenarios import Scenario

NOTES = "Most wanted the stream moved first; two elders asked for cash now."


def test_accepting_for_a_group_without_saying_how_they_were_consulted_changes_nothing(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")
    before = snapshot(case.grievance)

    page = act(portal, case.grievance, f"/tracks/{case.track.id}/accept")

    assert page.startswith("400 ")
    assert "You decide for 2 people: say how they were consulted" in page
    assert "Nothing was changed." in page
    assert snapshot(case.grievance) == before
    assert db.session.scalar(select(GroupConsultation)) is None


def test_the_case_page_asks_how_the_group_was_consulted_with_each_decision(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")

    page = portal.get(case.page).get_data(as_text=True)

    assert page.count("How the people were consulted") == 2  # accept, and decline
    assert f'id="accept-{case.track.id}-how-1"' in page
    assert f'<label for="decline-{case.track.id}-participants">' in page


def test_the_consultation_is_kept_with_the_decision_and_its_notes_encrypted(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "proposed")

    page = act(
        portal,
        case.grievance,
        f"/tracks/{case.track.id}/accept",
        consulted(participants="31", consulted_how="visits", consultation_notes=NOTES),
    )

    assert "You accepted the proposal for the people." in page
    assert case.fresh().tracks[0].state == "implementing"
    row = db.session.scalars(select(GroupConsultation)).one()
    assert (row.decision, row.method, row.participants) == (
        GroupDecision.ACCEPT_PROPOSAL,
        ConsultationMethod.VISITS,
        31,
    )
    assert (row.held_on, row.track_id, row.notes) == (utcnow().date(), case.track.id, NOTES)
    raw = db.session.execute(text("SELECT notes FROM group_consultations")).scalar_one()
    assert NOTES.encode() not in bytes(raw)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consultation.record")
    ).one()
    assert event.after is not None
    assert NOTES not in str(event.after)  # the people's words stay on the encrypted row


def test_a_half_told_consultation_is_refused(portal: FlaskClient, scenario: Scenario) -> None:
    case = mandated(scenario, "proposed")

    page = act(
        portal, case.grievance, f"/tracks/{case.track.id}/accept", consulted(participants="")
    )

    assert page.startswith("400 ")
    assert "Say how many people took part." in page
    assert case.fresh().tracks[0].state == "proposed"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": timedelta(days=1)}, "cannot be in the future"),
        ({"held_on": timedelta(days=-400)}, "before the grievance was filed"),
        ({"participants": 0}, "at least 1"),
        ({"notes": "x" * 2001}, "under 2000 characters"),
    ],
)
def test_a_consultation_that_cannot_be_true_is_refused(
    scenario: Scenario, actor: Actor, change: dict[str, object], message: str
) -> None:
    case = mandated(scenario, "proposed")
    values: dict[str, object] = {
        "method": ConsultationMethod.MEETING,
        "held_on": utcnow().date(),
        "participants": 2,
    }
    for key, value in change.items():
        values[key] = utcnow().date() + value if isinstance(value, timedelta) else value

    with pytest.raises(InvalidInput, match=message):
        tracks.accept_proposal(actor, case.track, Consultation(**values))  # type: ignore[arg-type]

    assert case.fresh().tracks[0].state == "proposed"


def test_a_check_in_put_to_the_whole_group_needs_the_consultation(
    portal: FlaskClient, scenario: Scenario
) -> None:
    case = mandated(scenario, "verifying")
    (question,) = [c for c in case.track.check_ins if c.proxy_organisation_id and c.is_open]

    refused = act(portal, case.grievance, f"/check-ins/{question.id}", {"answer": "yes"})
    answered = act(
        portal, case.grievance, f"/check-ins/{question.id}", {"answer": "yes", **consulted()}
    )

    assert refused.startswith("400 ")
    assert "Your answer is recorded." in answered
    row = db.session.scalars(select(GroupConsultation)).one()
    assert row.decision is GroupDecision.CHECK_IN


def test_a_decision_for_one_person_needs_no_consultation(scenario: Scenario, actor: Actor) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=1)
    scenario.mandate(grievance, tuple(MandateScope))
    scenario.to_track_state(track, "proposed")

    tracks.accept_proposal(actor, track)

    assert track.state == "implementing"
    assert not consultations.is_group_decision(actor, grievance)


def test_a_check_in_put_to_one_person_of_a_group_is_theirs_to_answer(
    scenario: Scenario, actor: Actor
) -> None:
    case = mandated(scenario, "verifying")
    person = case.grievance.people[0].person
    question = next(c for c in case.track.check_ins if c.person_id == person.id)

    assert not consultations.is_group_decision(actor, case.grievance, question.person)


def test_the_team_reads_how_the_people_were_consulted(
    portal: FlaskClient, scenario: Scenario, app: Flask
) -> None:
    case = mandated(scenario, "proposed")
    act(
        portal,
        case.grievance,
        f"/tracks/{case.track.id}/accept",
        consulted(participants="31", consultation_notes=NOTES),
    )
    page = console_for(app, scenario.handler).html(case.grievance)

    assert "How the people were consulted" in page  # the timeline's label and the section
    assert "A meeting on" in page
    assert "31 people took part, before accepting the proposal." in page
    assert NOTES in page


def test_no_consultation_is_asked_of_anyone_but_a_proxy(scenario: Scenario) -> None:
    case = mandated(scenario, "verifying")

    assert not consultations.is_group_decision(scenario.handler, case.grievance)

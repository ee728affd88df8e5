"""What a complainant is told about their case, in plain words, with what comes next."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from remedy.cases import intake
from remedy.cases.status import INTAKE_WORDING, TRACK_WORDING, case_status
from remedy.models import TrackKind
from remedy.workflows import CAUSE, DIRECTLY_LINKED, INTAKE
from tests.workflows.scenarios import Scenario


def test_every_state_a_complainant_can_meet_has_plain_words() -> None:
    open_track_states = {
        state.name
        for workflow in (CAUSE, DIRECTLY_LINKED)
        for state in workflow.states
        if not state.ended
    }
    assert {state.name for state in INTAKE.states} - {"in_remedy"} <= set(INTAKE_WORDING)
    assert open_track_states <= set(TRACK_WORDING)


def test_screening_says_what_happens_and_by_when(scenario: Scenario) -> None:
    grievance = scenario.file()
    status = case_status(grievance)
    assert status.state == "screening"
    assert status.due_at == grievance.due_at
    assert status.due_at is not None
    assert not status.awaits_you


def test_a_proposal_waiting_for_the_complainant_comes_first_on_a_joint_case(
    scenario: Scenario,
) -> None:
    grievance, (company_track, _partner_track) = scenario.in_remedy(
        TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED
    )
    scenario.propose(company_track)
    status = case_status(grievance)
    assert status.state == "proposed"
    assert status.awaits_you
    assert status.due_at == company_track.due_at


def test_an_ended_case_says_how_it_ended_and_has_no_date(scenario: Scenario) -> None:
    grievance = scenario.file()
    intake.reject(scenario.handler, grievance, "Outside our remit.", scenario.court())
    status = case_status(grievance)
    assert status.state == "not_admissible"
    assert status.due_at is None
    assert status.outcome is not None


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_the_words_come_in_the_complainants_language(scenario: Scenario, language: str) -> None:
    grievance = scenario.file()
    with force_locale("en"):
        english = case_status(grievance).now
    with force_locale(language):
        status = case_status(grievance)
    assert status.now
    if language != "en":
        assert status.now != english

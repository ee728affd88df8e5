"""Parallel proceedings pause a track: no deadline runs (nothing falls overdue), the track
stays open, and resuming goes back to the state it was paused in with that state's
deadline counted from the moment it resumes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from remedy.cases.deadlines import run_deadlines
from remedy.cases.proceedings import enter_parallel_proceedings, resume_after_proceedings
from remedy.cases.status import TRACK_WORDING, case_status
from remedy.core.errors import NotAllowed, TriggerRefused
from remedy.core.extensions import db
from remedy.models import TrackKind
from remedy.models.involvement_track import ProceedingKind
from remedy.models.types import utcnow
from remedy.workflows import WORKFLOWS
from remedy.workflows.deadlines import DEFAULT
from tests.workflows.observe import rewrite
from tests.workflows.scenarios import Scenario

TRACK_WORKFLOWS = ("cause", "contribute", "directly_linked")
WORK = {
    "cause": ("planning", "proposed", "dialogue", "implementing", "verifying"),
    "directly_linked": ("engaging", "escalated", "partner_remedying", "verifying"),
}
WORK["contribute"] = WORK["cause"]


@pytest.mark.parametrize("name", TRACK_WORKFLOWS)
def test_every_track_workflow_pauses_from_each_work_state_and_resumes_there(name: str) -> None:
    workflow = WORKFLOWS[name]
    paused = workflow.state("parallel_proceedings")

    assert paused.deadline is None
    assert not paused.ended
    for state in WORK[name]:
        (enter,) = workflow.candidates("enter_parallel_proceedings", state)
        assert enter.dest == "parallel_proceedings"
    resumes = workflow.candidates("resume_after_proceedings", "parallel_proceedings")
    assert sorted(t.dest for t in resumes) == sorted(WORK[name])


@pytest.mark.parametrize("kind", list(TrackKind))
def test_nothing_falls_overdue_while_paused_and_the_deadline_restarts_on_resuming(
    scenario: Scenario, kind: TrackKind
) -> None:
    _grievance, (track,) = scenario.in_remedy(kind)
    first_state = track.state
    enter_parallel_proceedings(
        scenario.handler,
        track,
        "The inspectorate opened a case.",
        ProceedingKind.LABOUR_INSPECTORATE,
    )
    db.session.commit()
    assert track.due_at is None
    assert not track.is_ended
    rewrite(track, opened_at=utcnow() - timedelta(days=400))

    report = run_deadlines(utcnow() + timedelta(days=365))

    assert report.tracks_overdue == 0
    assert track.overdue_at is None
    before = utcnow()
    resume_after_proceedings(scenario.handler, track, "The inspectorate closed its case.")
    db.session.commit()
    span = DEFAULT.deadline_for(WORKFLOWS[kind.value].state(first_state).deadline)
    assert span is not None
    assert track.due_at is not None
    assert (track.state, track.proceedings_state, track.proceeding_kind) == (
        first_state,
        None,
        None,
    )
    assert before + span <= track.due_at <= utcnow() + span
    assert run_deadlines(track.due_at + timedelta(minutes=1)).tracks_overdue == 1


def test_resuming_goes_back_to_the_state_it_was_paused_in(scenario: Scenario) -> None:
    _grievance, (track,) = scenario.in_remedy()
    scenario.to_track_state(track, "proposed")

    enter_parallel_proceedings(scenario.handler, track, "Court case filed.", ProceedingKind.COURT)
    assert track.proceedings_state == "proposed"
    resume_after_proceedings(scenario.handler, track, "Settled out of court.")

    assert track.state == "proposed"


def test_the_people_cannot_pause_a_track_nor_resume_it(scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy()

    with pytest.raises(NotAllowed):
        enter_parallel_proceedings(
            scenario.complainant(grievance), track, "We went to court.", ProceedingKind.COURT
        )
    with pytest.raises(TriggerRefused):
        resume_after_proceedings(scenario.handler, track, "Not paused.")


def test_the_kind_of_proceeding_is_required(scenario: Scenario) -> None:
    _grievance, (track,) = scenario.in_remedy()

    with pytest.raises(TriggerRefused, match="the kind of proceeding"):
        enter_parallel_proceedings(scenario.handler, track, "Something.", None)


@pytest.mark.parametrize("language", ["en", "fr", "es", "sw", "ar"])
def test_the_person_is_told_in_their_language_that_another_body_handles_it(
    scenario: Scenario, language: str
) -> None:
    grievance, (track,) = scenario.in_remedy()
    enter_parallel_proceedings(scenario.handler, track, "Court.", ProceedingKind.COURT)

    with force_locale(language):
        status = case_status(grievance)
        wording = TRACK_WORDING["parallel_proceedings"]
        assert (status.now, status.next) == (str(wording.now), str(wording.next))
    if language != "en":
        with force_locale("en"):
            assert status.now != str(wording.now)

"""Deadlines: every open state has one from the jurisdiction policy; the periodic job flags
overdue work once, tells the supervisors and the complainant, and never touches ended work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from remedy.cases import intake, tracks
from remedy.cases.deadlines import DeadlineReport, run_deadlines
from remedy.models import Answer, Grievance, InvolvementTrack, MessageChannel, TrackKind
from remedy.models.types import utcnow
from remedy.workflows import WORKFLOWS, workflow_for
from remedy.workflows.deadlines import DAY, DEFAULT, EU_WHISTLEBLOWER, POLICIES
from tests.workflows.observe import (
    Outbox,
    add_supervisor,
    alerted_users,
    audit_actions,
    for_people,
    per_recipient,
    rewrite,
    staff_id,
    templates,
)
from tests.workflows.scenarios import Scenario

EU = {"REMEDY_JURISDICTION": "eu_whistleblower"}
NOTHING = DeadlineReport(0, 0, 0, 0, 0)
SEVERITY = intake.Severity(1, 1, 1)
Subject = Grievance | InvolvementTrack


@dataclass
class Window:
    """When a step ran: its new deadline lies within ``span`` of this window."""

    start: datetime
    end: datetime | None = None


@contextmanager
def step() -> Iterator[Window]:
    window = Window(utcnow())
    yield window
    window.end = utcnow()


def expect_deadline(
    subject: Subject, key: str | None, window: Window, span_of: Callable[[str], timedelta]
) -> None:
    """``subject`` is in a state whose deadline is ``key`` (None: none), set by ``window``."""
    state = workflow_for(subject).state(subject.state)
    assert state.deadline == key, subject.state
    if key is None:
        assert subject.due_at is None, f"{subject.state} has no deadline"
        return
    assert subject.due_at is not None, subject.state
    assert window.end is not None
    span = span_of(key)
    assert window.start + span <= subject.due_at <= window.end + span, subject.state


def cause_plan(scenario: Scenario) -> intake.TrackPlan:
    return intake.TrackPlan(scenario.company, TrackKind.CAUSE, "We built the fence.")


def policy_spans(name: str) -> Callable[[str], timedelta]:
    return lambda key: POLICIES[name].deadlines[key]


# A track paused by parallel proceedings: no deadline runs until it resumes.
PAUSED = frozenset({"parallel_proceedings"})


def test_the_shipped_policies_keep_the_promises_of_the_design() -> None:
    assert DEFAULT.deadlines["acknowledge"] == 7 * DAY
    assert DEFAULT.feedback_within is None
    assert EU_WHISTLEBLOWER.deadlines["acknowledge"] == 7 * DAY
    assert EU_WHISTLEBLOWER.feedback_within == 90 * DAY
    for policy in (DEFAULT, EU_WHISTLEBLOWER):
        for workflow in WORKFLOWS.values():
            for state in workflow.states:
                where = f"{policy.name}: {workflow.name}.{state.name}"
                if state.ended:
                    assert state.deadline is None, where
                elif state.name in PAUSED:
                    assert state.deadline is None, where  # nothing runs while paused
                elif state.name != "in_remedy":  # in remedy, the tracks carry the deadlines
                    assert policy.deadline_for(state.deadline), where


@pytest.mark.parametrize(
    ("app_overrides", "policy"), [({}, "default"), (EU, "eu_whistleblower")], ids=["default", "eu"]
)
def test_every_open_state_gets_its_deadline_from_the_policy(
    scenario: Scenario, policy: str
) -> None:
    span = policy_spans(policy)
    with step() as filed:
        grievance = scenario.file()  # acknowledged at once: received -> screening
    assert grievance.jurisdiction == policy
    expect_deadline(grievance, "screening", filed, span)
    person = scenario.complainant(grievance)

    intake_steps: list[tuple[str | None, Callable[[], object]]] = [
        (
            "complainant_reply",
            lambda: intake.request_info(scenario.handler, grievance, "Where is the fence?"),
        ),
        ("screening", lambda: intake.provide_information(person, grievance, "By the well.")),
        ("assessment", lambda: intake.accept(scenario.handler, grievance)),
    ]
    for key, action in intake_steps:
        with step() as window:
            action()
        expect_deadline(grievance, key, window, span)

    plans = [
        cause_plan(scenario),
        intake.TrackPlan(scenario.partner, TrackKind.DIRECTLY_LINKED, "The supplier's fence."),
    ]
    with step() as classified:
        cause, linked = intake.classify(scenario.handler, grievance, plans, SEVERITY)
    expect_deadline(grievance, None, classified, span)  # in remedy: the tracks carry them
    expect_deadline(cause, "plan_remedy", classified, span)
    expect_deadline(linked, "engage", classified, span)

    track_steps: list[tuple[InvolvementTrack, str | None, Callable[[], object]]] = [
        (cause, "complainant_answer", lambda: scenario.propose(cause)),
        (cause, "dialogue", lambda: tracks.decline_proposal(person, cause, "Too little.")),
        (cause, "complainant_answer", lambda: tracks.propose_remedy(scenario.handler, cause)),
        (cause, "implement", lambda: tracks.accept_proposal(person, cause)),
        (
            cause,
            "verify",
            lambda: tracks.report_delivered(scenario.handler, cause.remedy_actions[0], "Photos."),
        ),
        (cause, None, lambda: scenario.answer_all(cause, Answer.YES)),  # remedied: ended
        (linked, "escalate", lambda: tracks.escalate(scenario.handler, linked, "No answer.")),
        (linked, "partner_remedy", lambda: scenario.implement(linked)),
    ]
    for track, key, action in track_steps:
        with step() as window:
            action()
        expect_deadline(track, key, window, span)

    rejected = scenario.to_grievance_state("not_admissible")
    expect_deadline(rejected, None, classified, span)
    with step() as appealed:
        intake.appeal(scenario.complainant(rejected), rejected, "The fence is on the road.")
    expect_deadline(rejected, "appeal_review", appealed, span)


@pytest.mark.parametrize(
    "app_overrides", [{"REMEDY_DEADLINE_OVERRIDES": "screening=3,plan_remedy=5"}]
)
def test_deadline_overrides_from_configuration_apply(scenario: Scenario) -> None:
    overridden = {"screening": 3 * DAY, "plan_remedy": 5 * DAY}

    def span(key: str) -> timedelta:
        return overridden.get(key) or DEFAULT.deadlines[key]

    with step() as filed:
        grievance = scenario.file()
    expect_deadline(grievance, "screening", filed, span)
    with step() as accepted:
        intake.accept(scenario.handler, grievance)
    expect_deadline(grievance, "assessment", accepted, span)
    with step() as classified:
        (track,) = intake.classify(scenario.handler, grievance, [cause_plan(scenario)], SEVERITY)
    expect_deadline(track, "plan_remedy", classified, span)


# The periodic job ---------------------------------------------------------------------------


def past(due: datetime | None) -> datetime:
    assert due is not None
    return due + timedelta(minutes=1)


def test_overdue_screening_is_flagged_once_with_one_message_each(scenario: Scenario) -> None:
    grievance = scenario.file(people=2)
    scenario.mandate(grievance)  # the proxy receives messages too: 3 recipients
    add_supervisor("boss@acme.example", scenario.company)
    outbox = Outbox()
    assert grievance.due_at is not None

    assert run_deadlines(grievance.due_at - timedelta(minutes=1)) == NOTHING
    report = run_deadlines(past(grievance.due_at))

    assert report == DeadlineReport(1, 0, 0, 0, 0)
    assert grievance.overdue_at is not None
    assert grievance.state == "screening", "flagged, not moved"
    assert audit_actions(grievance.reference)[-1] == "deadline.overdue"
    queued = outbox.new()
    delayed = per_recipient(for_people(queued))["delayed"]
    assert len(delayed) == 3
    assert set(delayed.values()) == {1}
    assert alerted_users(queued, "staff_overdue") == {
        staff_id(scenario.supervisor),
        staff_id(scenario.other_supervisor),
    }, "mechanism supervisors only: no handler, no organisation's supervisor"
    assert len([m for m in queued if m.channel is MessageChannel.CONSOLE]) == 2

    assert run_deadlines(past(grievance.due_at) + timedelta(days=30)) == NOTHING
    assert outbox.new() == []


def test_an_overdue_track_alerts_the_mechanism_and_its_organisation_supervisors(
    scenario: Scenario,
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=2)
    company_boss = add_supervisor("boss@acme.example", scenario.company)
    partner_boss = add_supervisor("boss@rift.example", scenario.partner)
    outbox = Outbox()

    report = run_deadlines(past(track.due_at))

    assert report == DeadlineReport(0, 1, 0, 0, 0)
    assert track.overdue_at is not None
    assert track.state == "planning"
    queued = outbox.new()
    assert alerted_users(queued, "staff_overdue") == {
        staff_id(scenario.supervisor),
        staff_id(scenario.other_supervisor),
        staff_id(company_boss),
    }
    assert staff_id(partner_boss) not in alerted_users(queued, "staff_overdue")
    assert templates(for_people(queued)) == {"delayed": 2}
    assert run_deadlines(past(track.due_at) + timedelta(days=1)) == NOTHING

    # A new state brings a new deadline, which can be missed (and flagged) again.
    scenario.propose(track)
    assert track.overdue_at is None
    assert run_deadlines(past(track.due_at)).tracks_overdue == 1
    assert grievance.overdue_at is None


def test_an_unanswered_question_sends_the_grievance_back_to_screening_flagged(
    scenario: Scenario,
) -> None:
    grievance = scenario.to_grievance_state("awaiting_complainant")
    outbox = Outbox()

    report = run_deadlines(past(grievance.due_at))

    assert report == DeadlineReport(0, 0, 1, 0, 0)
    assert grievance.state == "screening"
    assert grievance.overdue_at is not None, "flagged for the team"
    assert "intake.info_overdue" in audit_actions(grievance.reference)
    assert for_people(outbox.new()) == []
    assert run_deadlines(past(grievance.due_at) - timedelta(days=1)) == NOTHING


def test_nothing_fires_on_ended_grievances(scenario: Scenario) -> None:
    ended = [
        scenario.to_grievance_state(state)
        for state in ("not_admissible", "no_involvement", "resolved", "withdrawn")
    ]
    for grievance in ended:
        assert grievance.due_at is None, grievance.state
        # Even a stale deadline left in the database does not wake ended work.
        rewrite(grievance, due_at=utcnow() - timedelta(days=1))
    outbox = Outbox()

    report = run_deadlines(utcnow() + timedelta(days=3650))

    assert (report.grievances_overdue, report.tracks_overdue, report.info_requests_expired) == (
        0,
        0,
        0,
    )
    assert [g.overdue_at for g in ended] == [None] * 4
    assert not [m for m in outbox.new() if m.template in ("delayed", "staff_overdue")]


def test_nothing_fires_on_an_ended_track_beside_an_open_one(scenario: Scenario) -> None:
    _grievance, (done, open_track) = scenario.in_remedy(TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED)
    scenario.remedied(done)
    rewrite(done, due_at=utcnow() - timedelta(days=1))

    report = run_deadlines(utcnow() + timedelta(days=3650))

    assert report.tracks_overdue == 1
    assert open_track.overdue_at is not None
    assert done.overdue_at is None


@pytest.mark.parametrize(
    "app_overrides", [{**EU, "REMEDY_DEADLINE_OVERRIDES": "assessment=200"}], ids=["eu"]
)
def test_eu_feedback_within_90_days_is_flagged_when_none_was_given(scenario: Scenario) -> None:
    waiting = scenario.in_assessment()
    answered = scenario.in_assessment()
    rejected = scenario.file()
    for grievance in (waiting, answered, rejected):
        assert grievance.feedback_due_at == grievance.received_at + 90 * DAY
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "We built the fence.")
    intake.classify(scenario.handler, answered, [plan], intake.Severity(1, 1, 1))
    intake.reject(scenario.handler, rejected, "Outside our operations.", scenario.court())
    assert answered.feedback_due_at is None
    assert rejected.feedback_due_at is None
    received = waiting.received_at

    assert run_deadlines(received + 89 * DAY).grievances_overdue == 0
    outbox = Outbox()
    report = run_deadlines(received + 90 * DAY + timedelta(minutes=1))

    assert report.grievances_overdue == 1
    assert waiting.overdue_at is not None
    assert answered.overdue_at is None
    assert rejected.overdue_at is None
    assert {m.grievance_id for m in outbox.new()} == {waiting.id}


def test_a_case_assessed_as_severe_opens_its_tracks_with_the_shorter_deadlines(
    scenario: Scenario,
) -> None:
    def first_track_span(severity: intake.Severity) -> timedelta:
        grievance = scenario.in_assessment()
        plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "Assessed as cause.")
        (track,) = intake.classify(scenario.handler, grievance, [plan], severity)
        assert track.due_at is not None
        return track.due_at - utcnow()

    mild, severe = first_track_span(SEVERITY), first_track_span(intake.Severity(4, 2, 1))

    assert severe < mild - DAY, "a severe case's first track is due sooner"

"""Appeals: once per decision, within the window, by the complainant or a proxy who follows the
case; reviewed by a supervisor who did not take the decision, who upholds or overturns it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from remedy.cases import intake
from remedy.core.actors import Actor
from remedy.core.errors import NotAllowed, TriggerRefused
from remedy.models import AppealResult, Grievance, Outcome, TrackKind
from remedy.models.types import utcnow
from remedy.workflows.definition import MandateScope
from tests.workflows.observe import Outbox, for_people, rewrite, staff_id, templates
from tests.workflows.scenarios import Scenario

WHY = "The fence is on our land, not on the road."


def rejected_by(scenario: Scenario, decider: Actor) -> Grievance:
    grievance = scenario.file()
    intake.reject(decider, grievance, "Outside our operations.", scenario.court())
    assert (grievance.state, grievance.outcome) == ("not_admissible", Outcome.NOT_ADMISSIBLE)
    return grievance


def test_an_appeal_within_the_window_goes_to_review(scenario: Scenario) -> None:
    grievance = rejected_by(scenario, scenario.handler)
    outbox = Outbox()

    record = intake.appeal(scenario.complainant(grievance), grievance, WHY)

    assert grievance.state == "under_review"
    assert grievance.outcome is None
    assert grievance.appealed_state == "not_admissible"
    assert record.appealed_state == "not_admissible"
    assert record.decided_by_user_id == staff_id(scenario.handler)
    assert record.reason == WHY
    assert record.result is None
    assert templates(for_people(outbox.new())) == {"appeal_received": 1}


def test_no_appeal_after_the_window(scenario: Scenario, app: Flask) -> None:
    grievance = rejected_by(scenario, scenario.handler)
    assert grievance.decided_at is not None
    window = app.config["REMEDY_APPEAL_WINDOW"]
    rewrite(grievance, decided_at=utcnow() - window - timedelta(minutes=1))

    with pytest.raises(TriggerRefused, match="time to appeal"):
        intake.appeal(scenario.complainant(grievance), grievance, WHY)
    assert grievance.state == "not_admissible"


def test_a_decision_is_appealed_once(scenario: Scenario) -> None:
    grievance = rejected_by(scenario, scenario.handler)
    intake.appeal(scenario.complainant(grievance), grievance, WHY)
    intake.review(scenario.supervisor, grievance, uphold=True, reason="Checked the map.")
    assert grievance.state == "not_admissible"

    with pytest.raises(TriggerRefused, match="already appealed"):
        intake.appeal(scenario.complainant(grievance), grievance, "Once more.")
    assert grievance.state == "not_admissible"


def test_a_proxy_appeals_only_with_a_mandate_to_follow_the_case(scenario: Scenario) -> None:
    grievance = rejected_by(scenario, scenario.handler)
    for refused in (scenario.proxy, scenario.handler, scenario.supervisor):
        with pytest.raises(NotAllowed):
            intake.appeal(refused, grievance, WHY)
    scenario.mandate(grievance, (MandateScope.ANSWER_CHECK_INS,))
    with pytest.raises(NotAllowed):
        intake.appeal(scenario.proxy, grievance, WHY)
    assert grievance.state == "not_admissible"

    scenario.mandate(grievance, (MandateScope.FOLLOW,))
    record = intake.appeal(scenario.proxy, grievance, WHY)
    assert grievance.state == "under_review"
    assert record.lodged_by == scenario.proxy.id


def test_the_reviewer_is_a_supervisor_who_did_not_decide(scenario: Scenario) -> None:
    grievance = rejected_by(scenario, scenario.supervisor)
    intake.appeal(scenario.complainant(grievance), grievance, WHY)

    with pytest.raises(TriggerRefused, match="someone other"):
        intake.review(scenario.supervisor, grievance, uphold=True, reason="I was right.")
    for refused in (scenario.handler, scenario.company_handler, scenario.auditor):
        with pytest.raises(NotAllowed):
            intake.review(refused, grievance, uphold=False, reason="Looks admissible.")
    with pytest.raises(intake.InvalidInput):
        intake.review(scenario.other_supervisor, grievance, uphold=True, reason=" ")
    assert grievance.state == "under_review"

    outbox = Outbox()
    record = intake.review(scenario.other_supervisor, grievance, uphold=True, reason="Not ours.")

    assert (grievance.state, grievance.outcome) == ("not_admissible", Outcome.NOT_ADMISSIBLE)
    assert record.result is AppealResult.UPHELD
    assert record.reviewer_user_id == staff_id(scenario.other_supervisor)
    assert record.review_reason == "Not ours."
    assert record.reviewed_at is not None
    # Over again: the decision, then how fair the handling was.
    assert templates(for_people(outbox.new())) == {"appeal_upheld": 1, "fairness": 1}


def test_overturning_a_rejection_sends_the_grievance_back_to_screening(
    scenario: Scenario,
) -> None:
    grievance = rejected_by(scenario, scenario.handler)
    intake.appeal(scenario.complainant(grievance), grievance, WHY)
    outbox = Outbox()

    record = intake.review(scenario.supervisor, grievance, uphold=False, reason="It is ours.")

    assert (grievance.state, grievance.outcome) == ("screening", None)
    assert record.result is AppealResult.OVERTURNED
    assert grievance.decided_at is None
    assert grievance.appealed_state is None
    assert grievance.due_at is not None, "screening has a deadline again"
    assert templates(for_people(outbox.new())) == {"appeal_overturned": 1}
    intake.accept(scenario.handler, grievance)
    assert grievance.state == "assessment"


def test_overturning_a_no_involvement_finding_reopens_assessment(scenario: Scenario) -> None:
    grievance = scenario.to_grievance_state("no_involvement")
    assert grievance.outcome is Outcome.NO_INVOLVEMENT
    intake.appeal(scenario.complainant(grievance), grievance, WHY)
    intake.review(scenario.supervisor, grievance, uphold=False, reason="Our contractor did it.")

    assert (grievance.state, grievance.outcome) == ("assessment", None)
    plan = intake.TrackPlan(scenario.company, TrackKind.CAUSE, "Our contractor built it.")
    (track,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(2, 2, 1))
    assert (grievance.state, track.state) == ("in_remedy", "planning")


def test_upholding_a_resolution_keeps_its_derived_outcome(scenario: Scenario) -> None:
    grievance = scenario.to_grievance_state("resolved")
    assert grievance.decided_by_user_id is None, "the people's verdict, not a staff decision"
    intake.appeal(scenario.complainant(grievance), grievance, "Not really solved.")
    assert grievance.outcome is None

    intake.review(scenario.supervisor, grievance, uphold=True, reason="They confirmed it.")

    assert (grievance.state, grievance.outcome) == ("resolved", Outcome.REMEDIED)
    assert grievance.resolved_at is not None


def test_overturning_a_resolution_lets_assessment_reopen_the_ended_track(
    scenario: Scenario,
) -> None:
    grievance = scenario.to_grievance_state("resolved")
    (track,) = grievance.tracks
    assert track.state == "remedied"
    intake.appeal(scenario.complainant(grievance), grievance, "The fence came back.")
    intake.review(scenario.supervisor, grievance, uphold=False, reason="It came back.")
    assert (grievance.state, grievance.outcome) == ("assessment", None)

    plan = intake.TrackPlan(scenario.company, TrackKind.CONTRIBUTE, "Two contractors, in fact.")
    (reopened,) = intake.classify(scenario.handler, grievance, [plan], intake.Severity(3, 2, 2))

    assert reopened.id == track.id, "one track per organisation, restarted"
    assert (reopened.kind, reopened.state, reopened.outcome) == (
        TrackKind.CONTRIBUTE,
        "planning",
        None,
    )
    assert reopened.ended_at is None
    assert [c.kind for c in reopened.classifications] == [TrackKind.CAUSE, TrackKind.CONTRIBUTE]
    assert grievance.state == "in_remedy"

"""The people's feedback on the mechanism (UNGP 31 (g)): when the question is put and
open, who may answer, what a valid answer is, that a later answer replaces the earlier
one, and the counts the statistics will read."""

from __future__ import annotations

from datetime import timedelta

import pytest

from remedy.cases import intake, mechanism_feedback
from remedy.cases.mechanism_feedback import answer_fairness, fairness_comment_count, fairness_scores
from remedy.core.errors import InvalidInput, NotAllowed, TriggerRefused
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.identity.export import export_of
from remedy.models import AuditEvent, Grievance, MechanismFeedback, OutboxMessage
from remedy.models.mechanism_feedback import FeedbackVia
from remedy.models.types import utcnow
from tests.workflows.scenarios import Scenario

WEB = FeedbackVia.WEB


def rejected(scenario: Scenario, people: int = 1) -> Grievance:
    grievance = scenario.file(people=people)
    intake.reject(scenario.handler, grievance, "Outside our operations.", scenario.court())
    return grievance


def asked(grievance: Grievance) -> list[str]:
    """The fairness messages queued for the case, by event, in order."""
    return list(
        db.session.scalars(
            db.select(OutboxMessage.dedupe_key)
            .where(OutboxMessage.grievance_id == grievance.id, OutboxMessage.template == "fairness")
            .order_by(OutboxMessage.id)
        )
    )


def rows(grievance: Grievance) -> list[MechanismFeedback]:
    return list(
        db.session.scalars(
            db.select(MechanismFeedback)
            .where(MechanismFeedback.grievance_id == grievance.id)
            .order_by(MechanismFeedback.id)
        )
    )


@pytest.mark.parametrize("ending", ["not_admissible", "no_involvement", "resolved"])
def test_each_ending_with_a_decision_asks_every_recipient_once(
    scenario: Scenario, ending: str
) -> None:
    grievance = scenario.to_grievance_state(ending)

    assert len(asked(grievance)) == len(grievance.people) == 1
    assert mechanism_feedback.question_open(grievance)


@pytest.mark.parametrize("state", ["screening", "in_remedy", "under_review", "withdrawn"])
def test_not_asked_while_open_under_appeal_or_once_withdrawn(
    scenario: Scenario, state: str
) -> None:
    grievance = scenario.to_grievance_state(state)

    if state != "under_review":  # an appealed case was asked when it was first decided
        assert asked(grievance) == []
    assert not mechanism_feedback.question_open(grievance)
    with pytest.raises(TriggerRefused):
        answer_fairness(scenario.complainant(grievance), grievance, 3, None, WEB)


def test_the_question_closes_when_the_appeal_window_ends(scenario: Scenario) -> None:
    grievance = rejected(scenario)
    assert grievance.ended_at is not None
    grievance.ended_at = utcnow() - settings().appeal_window - timedelta(minutes=1)

    assert not mechanism_feedback.question_open(grievance)
    with pytest.raises(TriggerRefused):
        answer_fairness(scenario.complainant(grievance), grievance, 3, None, WEB)


@pytest.mark.parametrize("score", [0, 6, -1, "", "x", None, "3.5"])
def test_a_score_outside_1_to_5_is_refused_on_its_field(scenario: Scenario, score: object) -> None:
    grievance = rejected(scenario)

    with pytest.raises(InvalidInput) as refused:
        answer_fairness(scenario.complainant(grievance), grievance, score, None, WEB)

    assert refused.value.field == "score"
    assert rows(grievance) == []


def test_a_comment_over_2000_characters_is_refused(scenario: Scenario) -> None:
    grievance = rejected(scenario)

    with pytest.raises(InvalidInput) as refused:
        answer_fairness(scenario.complainant(grievance), grievance, 2, "x" * 2001, WEB)

    assert refused.value.field == "comment"


def test_staff_never_answer_for_the_people(scenario: Scenario) -> None:
    grievance = rejected(scenario)

    for staff in (scenario.handler, scenario.supervisor):
        with pytest.raises(NotAllowed):
            answer_fairness(staff, grievance, 5, None, WEB)


def test_reference_and_pin_answer_for_the_one_who_filed(scenario: Scenario) -> None:
    grievance = rejected(scenario, people=2)
    filer = grievance.people[0].person_id

    answer_fairness(scenario.complainant(grievance), grievance, "4", "  Fair enough. ", WEB)

    (given,) = rows(grievance)
    assert (given.person_id, given.score, given.comment) == (filer, 4, "Fair enough.")
    assert given.answered_by == grievance.reference
    assert mechanism_feedback.awaits(grievance, grievance.people[1].person_id)
    assert not mechanism_feedback.awaits(grievance, filer)


def test_asked_again_after_an_appeal_and_the_new_answer_replaces_the_old(
    scenario: Scenario,
) -> None:
    grievance = rejected(scenario)
    person = scenario.complainant(grievance)
    answer_fairness(person, grievance, 2, "Nobody called me.", WEB)
    intake.appeal(person, grievance, "You did not look at the photos.")
    assert not mechanism_feedback.question_open(grievance)

    intake.review(scenario.supervisor, grievance, uphold=True, reason="Checked the photos.")
    answer_fairness(person, grievance, 4, None, FeedbackVia.SMS)

    assert len(asked(grievance)) == 2  # once per ending
    (given,) = rows(grievance)
    assert (given.score, given.comment, given.via) == (4, None, FeedbackVia.SMS)
    audited = db.session.scalars(
        db.select(AuditEvent)
        .where(AuditEvent.action == "mechanism_feedback.answer")
        .order_by(AuditEvent.seq)
    ).all()
    assert [(e.after["score"], e.after["replaced"]) for e in audited] == [(2, False), (4, True)]
    assert all("Nobody" not in str(e.after) for e in audited)  # the comment stays on the case


def test_the_statistics_count_scores_and_comments_within_dates(scenario: Scenario) -> None:
    for score, comment in ((5, "Kind."), (5, None), (1, "Ignored me."), (3, None)):
        grievance = rejected(scenario)
        answer_fairness(scenario.complainant(grievance), grievance, score, comment, WEB)
    now = utcnow()

    assert fairness_scores() == {1: 1, 2: 0, 3: 1, 4: 0, 5: 2}
    assert fairness_comment_count() == 2
    assert fairness_scores(since=now + timedelta(seconds=1)) == dict.fromkeys(range(1, 6), 0)
    assert fairness_scores(until=now - timedelta(days=1)) == dict.fromkeys(range(1, 6), 0)
    assert fairness_comment_count(since=now - timedelta(days=1), until=now + timedelta(1)) == 2


def test_a_subject_access_export_holds_the_answer_and_its_comment(scenario: Scenario) -> None:
    grievance = rejected(scenario)
    answer_fairness(scenario.complainant(grievance), grievance, 2, "Nobody called me.", WEB)

    (exported,) = export_of(grievance)["fairness_answers"]

    assert exported["score"] == 2
    assert exported["comment"] == "Nobody called me."
    assert exported["via"] == "web"
    assert exported["person_id"] == grievance.people[0].person_id

"""Participatory verification: the affected people decide whether a remedy was delivered.

The collective rule (remedy/cases/check_ins.py): any "no" disputes at once;
once everyone asked has answered, any "partly" means partly remedied with the
gap they described, else remedied; silence never consents. After the end,
follow-up questions at 30 and 90 days; a "no" within the monitoring window
reopens the work.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation, vet_organisation
from remedy.cases import check_ins, tracks
from remedy.cases.deadlines import run_deadlines
from remedy.core.actors import OPERATOR, Actor
from remedy.core.errors import InvalidInput, NotAllowed, TriggerRefused
from remedy.models import (
    Answer,
    CheckIn,
    CheckInPurpose,
    ConsentMethod,
    Grievance,
    InvolvementTrack,
    OrganisationKind,
    Outcome,
    Role,
    TrackKind,
)
from remedy.models.types import utcnow
from remedy.proxy.mandates import grant_mandate
from remedy.workflows.definition import MandateScope
from tests.workflows.observe import (
    Outbox,
    alerted_users,
    for_people,
    per_recipient,
    rewrite,
    staff_id,
    templates,
)
from tests.workflows.scenarios import PASSWORD, Scenario

MISSING = "The water point is still missing."


def verifying(scenario: Scenario, people: int = 3) -> tuple[Grievance, InvolvementTrack]:
    """A collective grievance whose remedy was reported delivered: one question per person."""
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=people)
    scenario.verify(track)
    assert track.state == "verifying"
    assert len(questions(track)) == people
    return grievance, track


def questions(track: InvolvementTrack) -> list[CheckIn]:
    return [c for c in track.check_ins if c.is_open]


def person(scenario: Scenario, check_in: CheckIn) -> Actor:
    """The person the question was sent to, as they would answer it."""
    return scenario.complainant(check_in.track.grievance, check_in.person_id)


def answer_each(
    scenario: Scenario, track: InvolvementTrack, *answers: Answer, comment: str | None = None
) -> None:
    for check_in, value in zip(questions(track), answers, strict=False):
        text = comment if value is Answer.PARTLY else None
        check_ins.answer_check_in(person(scenario, check_in), check_in, value, text)


def the_team(scenario: Scenario) -> set[int]:
    """Who hears of a dispute on the company's track: mechanism staff and the company's."""
    return {
        staff_id(actor)
        for actor in (
            scenario.handler,
            scenario.supervisor,
            scenario.other_supervisor,
            scenario.company_handler,
        )
    }


# The collective rule --------------------------------------------------------------------------


def test_everyone_says_yes_the_track_is_remedied(scenario: Scenario) -> None:
    grievance, track = verifying(scenario)
    answer_each(scenario, track, Answer.YES, Answer.YES, Answer.YES)

    assert (track.state, track.outcome) == ("remedied", Outcome.REMEDIED)
    assert track.gap is None
    assert (grievance.state, grievance.outcome) == ("resolved", Outcome.REMEDIED)


def test_one_partly_among_yeses_means_partly_remedied_with_the_gap_they_described(
    scenario: Scenario,
) -> None:
    grievance, track = verifying(scenario)
    answer_each(scenario, track, Answer.YES, Answer.PARTLY, Answer.YES, comment=MISSING)

    assert (track.state, track.outcome) == ("partly_remedied", Outcome.PARTLY_REMEDIED)
    assert track.gap == MISSING
    assert (grievance.state, grievance.outcome) == ("resolved", Outcome.PARTLY_REMEDIED)


def test_a_single_no_disputes_at_once_and_alerts_the_team(scenario: Scenario) -> None:
    grievance, track = verifying(scenario)
    first, *others = questions(track)
    outbox = Outbox()

    check_ins.answer_check_in(person(scenario, first), first, Answer.NO, "Nothing changed.")

    assert track.state == "implementing", "back to work without waiting for the others"
    assert track.outcome is None
    assert grievance.state == "in_remedy"
    assert all(c.cancelled_at is not None and not c.is_open for c in others)
    queued = outbox.new()
    assert alerted_users(queued, "staff_disputed") == the_team(scenario)
    assert staff_id(scenario.partner_handler) not in alerted_users(queued, "staff_disputed")
    assert per_recipient(for_people(queued)) == {
        "disputed": {f"p{link.person_id}": 1 for link in grievance.people}
    }


def test_a_no_after_yeses_still_disputes(scenario: Scenario) -> None:
    _grievance, track = verifying(scenario)
    answer_each(scenario, track, Answer.YES, Answer.YES, Answer.NO)
    assert track.state == "implementing"


def test_silence_never_consents(scenario: Scenario) -> None:
    grievance, track = verifying(scenario)
    outbox = Outbox()
    answer_each(scenario, track, Answer.YES, Answer.YES)

    assert track.state == "verifying"
    assert len(questions(track)) == 1
    assert grievance.state == "in_remedy"
    assert outbox.new() == [], "nobody is told anything until there is a verdict"


def test_closing_without_confirmation_needs_a_supervisor_a_reason_and_the_window(
    scenario: Scenario,
) -> None:
    grievance, track = verifying(scenario)
    answer_each(scenario, track, Answer.YES, Answer.YES)
    (silent,) = questions(track)
    reason = "No answer after three reminders."

    with pytest.raises(NotAllowed):
        tracks.close_without_confirmation(scenario.handler, track, reason)
    with pytest.raises(InvalidInput):
        tracks.close_without_confirmation(scenario.supervisor, track, "   ")
    with pytest.raises(TriggerRefused, match="still have time"):
        tracks.close_without_confirmation(scenario.supervisor, track, reason)
    assert track.state == "verifying"

    rewrite(track, check_in_window_ends_at=utcnow() - timedelta(minutes=1))
    tracks.close_without_confirmation(scenario.supervisor, track, reason)

    assert (track.state, track.outcome) == ("unconfirmed", Outcome.UNCONFIRMED)
    assert grievance.state == "resolved"
    assert grievance.outcome is Outcome.UNCONFIRMED, "closed is not remedied"
    assert silent.cancelled_at is not None
    assert len([c for c in track.check_ins if c.purpose is CheckInPurpose.FOLLOW_UP]) == 6


# Who may answer, and what -----------------------------------------------------------------------


def test_only_the_people_asked_or_a_mandated_proxy_answer_never_staff(
    scenario: Scenario,
) -> None:
    grievance, track = verifying(scenario, people=2)
    mine, theirs = questions(track)
    other_grievance = scenario.file()

    refused = [
        scenario.handler,
        scenario.supervisor,
        scenario.company_handler,
        scenario.auditor,
        scenario.proxy,  # no mandate yet
        scenario.complainant(other_grievance),
        person(scenario, theirs),  # someone else's question
    ]
    for actor in refused:
        with pytest.raises(NotAllowed):
            check_ins.answer_check_in(actor, mine, Answer.YES)
    scenario.mandate(grievance, (MandateScope.FOLLOW, MandateScope.ANSWER_PROPOSALS), False)
    with pytest.raises(NotAllowed):
        check_ins.answer_check_in(scenario.proxy, mine, Answer.YES)
    assert mine.is_open
    assert track.state == "verifying"

    scenario.mandate(grievance, (MandateScope.ANSWER_CHECK_INS,), False)
    check_ins.answer_check_in(scenario.proxy, mine, Answer.YES)
    check_ins.answer_check_in(person(scenario, theirs), theirs, Answer.YES)
    assert track.state == "remedied"


def test_the_question_put_to_a_proxy_is_answered_by_that_proxy_only(scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE, people=1)
    scenario.mandate(grievance)  # all scopes; the proxy receives messages, so it is asked too
    other_ngo = create_organisation(OPERATOR, "Voices of the Valley", OrganisationKind.NGO)
    vet_organisation(OPERATOR, other_ngo, "Registration certificate seen.")
    other_proxy = Actor.for_user(
        accounts.create_user(
            OPERATOR, "member@voices.example", PASSWORD, Role.PROXY_MEMBER, other_ngo
        )
    )
    scenario.verify(track)
    ngo_question = next(c for c in questions(track) if c.proxy_organisation_id is not None)
    person_question = next(c for c in questions(track) if c.person_id is not None)

    for actor in (
        person(scenario, person_question),  # a villager
        scenario.complainant(grievance),  # the reference and PIN, whoever holds them
    ):
        with pytest.raises(NotAllowed):
            check_ins.answer_check_in(actor, ngo_question, Answer.YES)
    grant_mandate(
        OPERATOR,
        other_ngo,
        grievance,
        (MandateScope.ANSWER_CHECK_INS,),
        ConsentMethod.WRITTEN,
        utcnow().date() + timedelta(days=30),
        proxy_receives_messages=False,
    )
    with pytest.raises(NotAllowed):
        check_ins.answer_check_in(other_proxy, ngo_question, Answer.YES)
    assert ngo_question.is_open

    check_ins.answer_check_in(scenario.proxy, ngo_question, Answer.YES)
    check_ins.answer_check_in(other_proxy, person_question, Answer.YES)  # for the people
    assert track.state == "remedied"


def test_an_answered_question_cannot_be_answered_again(scenario: Scenario) -> None:
    _grievance, track = verifying(scenario, people=2)
    first, _second = questions(track)
    check_ins.answer_check_in(person(scenario, first), first, Answer.YES)

    with pytest.raises(TriggerRefused, match="closed"):
        check_ins.answer_check_in(person(scenario, first), first, Answer.NO)
    assert first.response is not None
    assert first.response.answer is Answer.YES
    assert track.state == "verifying"


def test_a_question_withdrawn_after_a_dispute_cannot_be_answered(scenario: Scenario) -> None:
    _grievance, track = verifying(scenario, people=2)
    first, second = questions(track)
    check_ins.answer_check_in(person(scenario, first), first, Answer.NO)

    assert second.cancelled_at is not None
    with pytest.raises(TriggerRefused, match="closed"):
        check_ins.answer_check_in(person(scenario, second), second, Answer.YES)
    assert second.response is None


def test_satisfaction_is_1_to_5_and_comments_are_bounded(scenario: Scenario) -> None:
    _grievance, track = verifying(scenario, people=1)
    (question,) = questions(track)
    answering = person(scenario, question)

    for satisfaction, comment, field in [
        (0, None, "satisfaction"),
        (6, None, "satisfaction"),
        (3, "x" * 2001, "comment"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            check_ins.answer_check_in(answering, question, Answer.YES, comment, satisfaction)
        assert refused.value.field == field
        assert question.is_open
        assert track.state == "verifying"

    check_ins.answer_check_in(answering, question, Answer.YES, "y" * 2000, 5)
    assert question.response is not None
    assert (question.response.satisfaction, len(question.response.comment or "")) == (5, 2000)


# Follow-ups -----------------------------------------------------------------------------------


def remedied(scenario: Scenario, people: int = 2) -> tuple[Grievance, InvolvementTrack]:
    grievance, track = verifying(scenario, people)
    answer_each(scenario, track, *[Answer.YES] * people)
    assert grievance.state == "resolved"
    return grievance, track


def opened_follow_ups(track: InvolvementTrack) -> list[CheckIn]:
    return [c for c in track.check_ins if c.purpose is CheckInPurpose.FOLLOW_UP and c.is_open]


def test_follow_ups_go_out_30_and_90_days_after_the_end(scenario: Scenario) -> None:
    _grievance, track = remedied(scenario)
    ended = track.ended_at
    assert ended is not None
    scheduled = [c for c in track.check_ins if c.purpose is CheckInPurpose.FOLLOW_UP]
    assert (
        sorted(c.opens_at - ended for c in scheduled)
        == [timedelta(days=30)] * 2 + [timedelta(days=90)] * 2
    )
    assert all(c.opened_at is None for c in scheduled)
    outbox = Outbox()

    assert run_deadlines(ended + timedelta(days=29)).follow_ups_opened == 0
    assert run_deadlines(ended + timedelta(days=30, minutes=1)).follow_ups_opened == 2
    assert per_recipient(outbox.new())["follow_up"].total() == 2
    assert run_deadlines(ended + timedelta(days=31)).follow_ups_opened == 0, "each opens once"
    assert run_deadlines(ended + timedelta(days=90, minutes=1)).follow_ups_opened == 2
    assert templates(outbox.new()) == {"follow_up": 2}
    assert len(opened_follow_ups(track)) == 4


def test_a_no_within_the_monitoring_window_reopens_the_work(scenario: Scenario) -> None:
    grievance, track = remedied(scenario)
    assert track.ended_at is not None
    run_deadlines(track.ended_at + timedelta(days=30, minutes=1))
    asked = opened_follow_ups(track)[0]
    outbox = Outbox()

    check_ins.answer_check_in(person(scenario, asked), asked, Answer.NO, "The fence is back.")

    assert (track.state, track.outcome, track.ended_at) == ("implementing", None, None)
    assert (grievance.state, grievance.outcome) == ("in_remedy", None)
    assert grievance.resolved_at is None
    later = [c for c in track.check_ins if c.purpose is CheckInPurpose.FOLLOW_UP and c is not asked]
    assert all(c.cancelled_at is not None for c in later), "no more follow-ups on open work"
    queued = outbox.new()
    assert alerted_users(queued, "staff_disputed") == the_team(scenario)
    assert templates(for_people(queued)) == {"reopened": 2}


def test_a_partly_follow_up_only_alerts_the_team(scenario: Scenario) -> None:
    grievance, track = remedied(scenario)
    assert track.ended_at is not None
    run_deadlines(track.ended_at + timedelta(days=30, minutes=1))
    asked = opened_follow_ups(track)[0]
    outbox = Outbox()

    check_ins.answer_check_in(person(scenario, asked), asked, Answer.PARTLY, "Some days.")

    assert (track.state, grievance.state) == ("remedied", "resolved")
    queued = outbox.new()
    assert alerted_users(queued, "staff_disputed") == the_team(scenario)
    assert for_people(queued) == []


def test_a_no_after_the_monitoring_window_alerts_the_team_and_tells_the_person(
    scenario: Scenario, app: Flask
) -> None:
    grievance, track = remedied(scenario)
    assert track.ended_at is not None
    run_deadlines(track.ended_at + timedelta(days=90, minutes=1))
    asked = opened_follow_ups(track)[-1]
    window = app.config["REMEDY_MONITORING_WINDOW"]
    rewrite(track, ended_at=utcnow() - window - timedelta(days=1))
    outbox = Outbox()

    check_ins.answer_check_in(person(scenario, asked), asked, Answer.NO, "The fence is back.")

    assert (track.state, track.outcome) == ("remedied", Outcome.REMEDIED)
    assert (grievance.state, grievance.outcome) == ("resolved", Outcome.REMEDIED)
    queued = outbox.new()
    assert alerted_users(queued, "staff_disputed") == the_team(scenario)
    told = for_people(queued)
    assert [(m.template, m.person_id) for m in told] == [("follow_up_noted", asked.person_id)]

"""Whole cases told as stories, driven only through the services, each step by its rightful actor.

One story per kind of involvement (cause, contribute, directly linked), from the
filing of a grievance to a remedy the affected people confirmed, each through a
dispute that sends the work back; then a joint mechanism, a proxy acting under a
mandate, a reclassification and a withdrawal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from remedy.audit.log import verify_chain
from remedy.cases import check_ins, intake, tracks
from remedy.cases.deadlines import run_deadlines
from remedy.cases.representation import valid_mandate
from remedy.core.actors import SYSTEM, Actor
from remedy.core.errors import NotAllowed
from remedy.filing.grievances import GrievanceForm, PersonDetails, submit_grievance
from remedy.models import (
    Answer,
    Channel,
    CheckInPurpose,
    Grievance,
    InvolvementTrack,
    LeverageType,
    MessageChannel,
    Outcome,
    RemedyType,
    TrackKind,
)
from remedy.models.types import utcnow
from remedy.proxy.mandates import withdraw_mandate
from remedy.workflows.definition import MandateScope
from tests.workflows.observe import (
    Outbox,
    alerted_users,
    audit_actions,
    for_people,
    per_recipient,
    staff_id,
    templates,
)
from tests.workflows.scenarios import Scenario

FENCE = tracks.RemedyActionPlan(RemedyType.CESSATION, "Remove the fence across the path.")
WELL = tracks.RemedyActionPlan(RemedyType.RESTITUTION, "Repair the damaged well.")
PATH = tracks.RemedyActionPlan(RemedyType.RESTITUTION, "Rebuild the path to the well.")
RAISE = tracks.LeveragePlan(LeverageType.RAISE_ISSUE, "Rift Haulage", "Raise the blocked path.")
CONTRACT = tracks.LeveragePlan(
    LeverageType.CONTRACTUAL_DEMAND, "Rift Haulage", "Demand the path be reopened."
)


def file_two_villagers(scenario: Scenario) -> tuple[Grievance, list[Actor]]:
    """Two villagers by SMS, one speaking for both: the grievance is acknowledged at once."""
    scenario.counter[0] += 1
    n = scenario.counter[0]
    form = GrievanceForm(
        channel=Channel.SMS,
        language="en",
        description="The new fence blocks the only path to the well.",
        location="Kiptoo village",
        contact_consent=True,
        complainant=PersonDetails("Amina", f"+2547100{n:02d}001", "en"),
        affected=[PersonDetails("Baraka", f"+2547100{n:02d}002", "sw")],
    )
    submitted = submit_grievance(SYSTEM, form)
    grievance = submitted.grievance
    assert len(submitted.pin) == 6
    assert grievance.state == "screening"
    villagers = [scenario.complainant(grievance, link.person_id) for link in grievance.people]
    return grievance, villagers


def deliver_everything(actor: Actor, track: InvolvementTrack) -> None:
    for action in track.remedy_actions:
        if action.is_active and not action.is_delivered:
            tracks.report_delivered(actor, action, "Photos taken with the village committee.")


def answer(villager: Actor, track: InvolvementTrack, value: Answer, comment: str = "") -> None:
    """The villager answers their own open delivery question."""
    (question,) = [
        c
        for c in track.check_ins
        if c.is_open and c.purpose is CheckInPurpose.DELIVERY and c.person_id == villager.person_id
    ]
    check_ins.answer_check_in(villager, question, value, comment or None, satisfaction=4)


def dispute_then_confirm(
    scenario: Scenario,
    track: InvolvementTrack,
    villagers: list[Actor],
    back_to: str,
    redo: Callable[[], None],
) -> None:
    """Verification: one villager says "no" (work resumes), later both say "yes"."""
    outbox = Outbox()
    assert track.state == "verifying"
    answer(villagers[0], track, Answer.NO, "The fence is gone but the path is still blocked.")
    assert track.state == back_to
    assert not [c for c in track.check_ins if c.is_open], "the round's other question is withdrawn"
    queued = outbox.new()
    assert per_recipient(for_people(queued))["disputed"].total() == 2
    assert staff_id(scenario.handler) in alerted_users(queued, "staff_disputed")

    redo()
    assert track.state == "verifying"
    assert {c.round for c in track.check_ins if c.is_open} == {2}
    for villager in villagers:
        answer(villager, track, Answer.YES)


def assert_remedied(grievance: Grievance, track: InvolvementTrack) -> None:
    assert track.state == "remedied"
    assert track.outcome is Outcome.REMEDIED
    assert track.ended_at is not None
    assert grievance.state == "resolved"
    assert grievance.outcome is Outcome.REMEDIED
    assert grievance.resolved_at is not None
    follow_ups = [c for c in track.check_ins if c.purpose is CheckInPurpose.FOLLOW_UP]
    assert len(follow_ups) == 4, "two villagers, asked again at 30 and 90 days"


def test_cause_story_a_company_removes_its_fence_and_the_villagers_confirm(
    scenario: Scenario,
) -> None:
    grievance, villagers = file_two_villagers(scenario)
    company = scenario.company_handler

    intake.accept(scenario.handler, grievance)
    (track,) = intake.classify(
        scenario.handler,
        grievance,
        [intake.TrackPlan(scenario.company, TrackKind.CAUSE, "Our contractor built the fence.")],
        intake.Severity(3, 2, 1),
    )
    assert (grievance.state, track.state) == ("in_remedy", "planning")

    # The company's own team proposes; the villagers find it too little, then accept more.
    tracks.propose_remedy(company, track, [FENCE])
    tracks.decline_proposal(villagers[0], track, "Removing the fence does not repair the well.")
    assert track.state == "dialogue"
    tracks.propose_remedy(company, track, [WELL])
    tracks.accept_proposal(villagers[0], track)
    assert track.state == "implementing"

    deliver_everything(company, track)

    def redo() -> None:
        tracks.add_remedy_action(company, track, PATH)
        deliver_everything(company, track)

    dispute_then_confirm(scenario, track, villagers, "implementing", redo)
    assert_remedied(grievance, track)
    assert [a.type for a in track.remedy_actions] == [
        RemedyType.CESSATION,
        RemedyType.RESTITUTION,
        RemedyType.RESTITUTION,
    ]
    assert verify_chain().ok  # last: it detaches what the session holds


def test_contribute_story_a_remedy_with_leverage_on_the_other_contributor(
    scenario: Scenario,
) -> None:
    grievance, villagers = file_two_villagers(scenario)
    intake.accept(scenario.handler, grievance)
    (track,) = intake.classify(
        scenario.handler,
        grievance,
        [intake.TrackPlan(scenario.company, TrackKind.CONTRIBUTE, "We hired the hauler.")],
        intake.Severity(2, 2, 1),
    )

    # A contribution is remedied together with leverage on the others who contributed.
    with pytest.raises(intake.TriggerRefused, match="leverage"):
        tracks.propose_remedy(scenario.handler, track, [FENCE])
    assert (track.state, track.remedy_actions) == ("planning", [])
    tracks.propose_remedy(scenario.handler, track, [FENCE], [RAISE])
    tracks.accept_proposal(villagers[1], track)
    assert track.state == "implementing"
    demand = tracks.record_leverage(scenario.handler, track, CONTRACT)
    assert track.state == "implementing", "leverage is recorded beside the remedy"
    tracks.complete_leverage(scenario.handler, demand, "The hauler reopened its gate.")

    deliver_everything(scenario.handler, track)

    def redo() -> None:
        tracks.add_remedy_action(scenario.handler, track, PATH)
        deliver_everything(scenario.handler, track)

    dispute_then_confirm(scenario, track, villagers, "implementing", redo)
    assert_remedied(grievance, track)
    assert len(track.leverage_actions) == 2
    assert verify_chain().ok


def test_directly_linked_story_leverage_escalation_and_a_partner_remedy(
    scenario: Scenario,
) -> None:
    grievance, villagers = file_two_villagers(scenario)
    intake.accept(scenario.handler, grievance)
    (track,) = intake.classify(
        scenario.handler,
        grievance,
        [intake.TrackPlan(scenario.company, TrackKind.DIRECTLY_LINKED, "Our supplier's fence.")],
        intake.Severity(2, 2, 1),
    )
    assert track.state == "engaging"

    tracks.record_leverage(scenario.handler, track, RAISE)
    assert track.state == "engaging"
    tracks.escalate(scenario.handler, track, "No answer from the supplier in 60 days.")
    tracks.partner_commits(scenario.handler, track, [FENCE])
    assert track.state == "partner_remedying"
    deliver_everything(scenario.handler, track)

    def redo() -> None:
        # Back to engaging: the partner commits again, to what is still missing.
        tracks.partner_commits(scenario.handler, track, [PATH])
        assert track.state == "partner_remedying"
        deliver_everything(scenario.handler, track)

    dispute_then_confirm(scenario, track, villagers, "engaging", redo)
    assert_remedied(grievance, track)
    assert verify_chain().ok


def test_joint_mechanism_each_organisation_works_its_own_track(scenario: Scenario) -> None:
    grievance, (track_a, track_b) = scenario.in_remedy(
        TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED, people=1
    )
    assert (track_a.organisation, track_b.organisation) == (scenario.company, scenario.partner)
    person = scenario.complainant(grievance, grievance.people[0].person_id)

    # A company user acts on its own track only.
    with pytest.raises(NotAllowed):
        tracks.partner_commits(scenario.company_handler, track_b, [PATH])
    with pytest.raises(NotAllowed):
        tracks.propose_remedy(scenario.partner_handler, track_a, [FENCE])
    assert (track_a.state, track_b.state) == ("planning", "engaging")
    assert track_a.remedy_actions == []
    assert track_b.remedy_actions == []

    tracks.propose_remedy(scenario.company_handler, track_a, [FENCE])
    tracks.accept_proposal(person, track_a)
    deliver_everything(scenario.company_handler, track_a)
    answer(person, track_a, Answer.YES)
    assert track_a.state == "remedied"
    assert grievance.state == "in_remedy", "the partner's track is still open"
    assert grievance.outcome is None

    tracks.partner_commits(scenario.partner_handler, track_b, [PATH])
    with pytest.raises(NotAllowed):
        deliver_everything(scenario.company_handler, track_b)
    deliver_everything(scenario.partner_handler, track_b)
    answer(person, track_b, Answer.PARTLY, "The path is open but not levelled.")

    assert track_b.state == "partly_remedied"
    assert track_b.gap == "The path is open but not levelled."
    assert grievance.state == "resolved"
    assert grievance.outcome is Outcome.PARTLY_REMEDIED, "remedied + partly remedied"


def test_a_proxy_answers_for_the_people_while_its_mandate_lasts(scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.mandate(
        grievance, (MandateScope.ANSWER_PROPOSALS, MandateScope.ANSWER_CHECK_INS), True
    )
    proxy = scenario.proxy

    scenario.propose(track)
    tracks.accept_proposal(proxy, track)
    assert track.state == "implementing"
    deliver_everything(scenario.handler, track)

    # The proxy receives its own question and may answer the person's too.
    questions = [c for c in track.check_ins if c.is_open]
    ngo_question = next(c for c in questions if c.proxy_organisation_id == scenario.ngo.id)
    person_question = next(c for c in questions if c.person_id is not None)
    check_ins.answer_check_in(proxy, ngo_question, Answer.YES, satisfaction=5)
    assert ngo_question.response is not None
    assert ngo_question.response.answered_by == proxy.id
    assert track.state == "verifying", "the person has not answered yet"

    mandate = valid_mandate(scenario.ngo.id, grievance, MandateScope.ANSWER_CHECK_INS)
    assert mandate is not None
    withdraw_mandate(scenario.handler, mandate)
    with pytest.raises(NotAllowed):
        check_ins.answer_check_in(proxy, person_question, Answer.YES)
    with pytest.raises(NotAllowed):
        intake.withdraw(proxy, grievance)
    assert person_question.is_open

    outbox = Outbox()
    check_ins.answer_check_in(
        scenario.complainant(grievance, person_question.person_id), person_question, Answer.YES
    )
    assert track.state == "remedied"
    assert grievance.outcome is Outcome.REMEDIED
    sent_to = {m.organisation_id for m in for_people(outbox.new())}
    assert scenario.ngo.id not in sent_to, "a proxy without a mandate hears nothing more"


def test_reclassification_keeps_history_and_restarts_the_track(scenario: Scenario) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.propose(track)
    assert track.state == "proposed"

    with pytest.raises(intake.InvalidInput):
        tracks.reclassify(scenario.handler, track, TrackKind.DIRECTLY_LINKED, "  ")
    tracks.reclassify(
        scenario.handler, track, TrackKind.DIRECTLY_LINKED, "The fence is the supplier's."
    )

    assert track.kind is TrackKind.DIRECTLY_LINKED
    assert track.state == "engaging"
    assert track.due_at is not None
    assert track.outcome is None
    assert [(c.kind, c.rationale) for c in track.classifications] == [
        (TrackKind.CAUSE, "Assessed as cause."),
        (TrackKind.DIRECTLY_LINKED, "The fence is the supplier's."),
    ]
    assert track.classifications[1].decided_by == scenario.handler.id
    assert audit_actions(track.id)[-1] == "track.reclassify"
    assert grievance.state == "in_remedy"

    # The restarted track runs its new workflow.
    tracks.record_leverage(scenario.handler, track, RAISE)
    assert track.state == "engaging"


def test_reclassifying_a_track_under_verification_withdraws_its_questions(
    scenario: Scenario,
) -> None:
    grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.verify(track)
    (question,) = [c for c in track.check_ins if c.is_open]

    tracks.reclassify(scenario.handler, track, TrackKind.CONTRIBUTE, "A second contractor.")

    assert track.state == "planning"
    assert not question.is_open
    with pytest.raises(intake.TriggerRefused):
        check_ins.answer_check_in(
            scenario.complainant(grievance, question.person_id), question, Answer.YES
        )


def test_withdrawal_ends_every_open_track_and_silences_the_case(scenario: Scenario) -> None:
    grievance, (done, verifying) = scenario.in_remedy(
        TrackKind.CAUSE, TrackKind.DIRECTLY_LINKED, people=2
    )
    scenario.remedied(done)
    scenario.verify(verifying)
    answer_later = [c for c in verifying.check_ins if c.is_open]
    assert len(answer_later) == 2
    villager = scenario.complainant(grievance)
    outbox = Outbox()

    intake.withdraw(villager, grievance)

    assert (grievance.state, grievance.outcome) == ("withdrawn", Outcome.WITHDRAWN)
    assert (verifying.state, verifying.outcome) == ("withdrawn", Outcome.WITHDRAWN)
    assert verifying.ended_at is not None
    assert verifying.due_at is None
    assert done.state == "remedied", "an ended track keeps its ending"
    unanswered = [c for t in (done, verifying) for c in t.check_ins if c.response is None]
    assert unanswered
    assert all(c.cancelled_at is not None for c in unanswered)
    queued = outbox.new()
    assert templates(queued) == {"withdrawn": 2}
    assert {m.channel for m in queued} == {MessageChannel.SMS}

    with pytest.raises(intake.TriggerRefused):
        check_ins.answer_check_in(
            scenario.complainant(grievance, answer_later[0].person_id), answer_later[0], Answer.NO
        )
    for years in (1, 10):
        report = run_deadlines(utcnow() + timedelta(days=365 * years))
        assert report.grievances_overdue == report.tracks_overdue == 0
        assert report.follow_ups_opened == 0
    assert outbox.new() == []
    assert grievance.overdue_at is None
    assert verifying.overdue_at is None
    assert verify_chain().ok

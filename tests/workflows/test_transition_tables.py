"""Every (state, trigger) pair of every workflow: allowed with the right effects, or refused.

The pairs are read from the workflow definitions, so a state or trigger added there is
covered here at once. The engine (``remedy.cases.triggers.fire``) is fired directly;
further down, the guards that can refuse an otherwise allowed step, the work the domain
services do around the engine, and the rule that a failing step leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import current_app
from sqlalchemy import select

from remedy.audit.log import verify_chain
from remedy.cases import check_ins, intake, tracks
from remedy.cases.mechanism_feedback import ASKED_AFTER
from remedy.cases.notify import recipients
from remedy.cases.triggers import FIELD_LABELS, allowed_transitions, fire
from remedy.core.actors import SYSTEM, Actor
from remedy.core.errors import InvalidInput, TriggerRefused
from remedy.core.extensions import db
from remedy.models import (
    Answer,
    AuditEvent,
    Grievance,
    InvolvementTrack,
    LeverageType,
    Outcome,
    Referral,
    RemedyType,
    TrackKind,
)
from remedy.models.types import utcnow
from remedy.workflows import WORKFLOWS
from remedy.workflows.deadlines import POLICIES
from remedy.workflows.definition import Transition, Workflow
from tests.conftest import TestDatabases as Databases
from tests.workflows.tables import (
    MESSAGE_VALUES,
    Snapshot,
    Stage,
    appealed_from,
    audit_head,
    first_transition,
    grievance_of,
    last_message_id,
    messages_since,
    shared_app,
    undone,
)

# How each ended state ends, independent of the engine's own map.
OUTCOMES = {
    "remedied": Outcome.REMEDIED,
    "partly_remedied": Outcome.PARTLY_REMEDIED,
    "unconfirmed": Outcome.UNCONFIRMED,
    "referred": Outcome.REFERRED,
    "relationship_ended": Outcome.NOT_REMEDIED,
    "withdrawn": Outcome.WITHDRAWN,
    "not_admissible": Outcome.NOT_ADMISSIBLE,
    "no_involvement": Outcome.NO_INVOLVEMENT,
    # A resolved grievance's outcome comes from its tracks: the resolving service sets it
    # (see test_the_last_track_to_end_resolves_the_grievance_with_an_outcome_from_theirs).
    "resolved": None,
}


def _allowed_pairs() -> list[Any]:
    pairs = []
    for workflow in WORKFLOWS.values():
        for transition in workflow.transitions:
            for source in transition.source:
                name = f"{workflow.name}-{source}-{transition.trigger}"
                if len(workflow.candidates(transition.trigger, source)) > 1:
                    name += f"-to-{transition.dest}"  # routes chosen by the appealed decision
                pairs.append(pytest.param(workflow, source, transition, id=name))
    return pairs


def _refused_pairs() -> list[Any]:
    return [
        pytest.param(workflow, state.name, trigger, id=f"{workflow.name}-{state.name}-{trigger}")
        for workflow in WORKFLOWS.values()
        for state in workflow.states
        for trigger in workflow.triggers
        if not workflow.candidates(trigger, state.name)
    ]


@pytest.fixture(scope="module")
def shared(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stage]:
    with shared_app(databases, tmp_path_factory.mktemp("transition-tables")):
        yield Stage.create()


@pytest.fixture
def stage(shared: Stage) -> Stage:
    shared.refresh()
    return shared


# The tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("workflow", "source", "transition"), _allowed_pairs())
def test_a_step_allowed_from_a_state_takes_the_case_to_the_next_one(
    stage: Stage, workflow: Workflow, source: str, transition: Transition
) -> None:
    subject = stage.subject(workflow.name, source, appealed_from(transition))
    with undone():  # the subject stays in its state for the next step from it
        grievance = grievance_of(subject)
        actor = stage.someone_who_may(transition, subject)
        fields = stage.fields_for(transition)
        # A grievance that ends with a decision then asks how fair its handling was.
        asks_fairness = subject is grievance and transition.dest in ASKED_AFTER
        owed = sorted(
            [
                (template, r.person.id if r.person else None, r.organisation_id)
                for template in (transition.notify, *(["fairness"] if asks_fairness else []))
                for r in recipients(grievance)
            ],
            key=str,
        )
        assert len(owed) == 2 * (1 + asks_fairness), "the person and their proxy both hear"
        version, head, last_message = grievance.version, audit_head(), last_message_id()
        started = utcnow()

        fired = fire(subject, transition.trigger, actor, notify_values=MESSAGE_VALUES, **fields)
        finished = utcnow()

        assert fired == transition
        dest = workflow.state(transition.dest)
        assert subject.state == dest.name
        span = POLICIES[grievance.jurisdiction].deadline_for(dest.deadline)
        assert (span is None) == (dest.deadline is None), "the policy knows every deadline"
        if span is None:
            assert subject.due_at is None
        else:
            assert subject.due_at is not None
            assert started + span <= subject.due_at <= finished + span
        assert subject.outcome == (OUTCOMES[dest.name] if dest.ended else None)
        if isinstance(subject, InvolvementTrack):
            ended_at = subject.ended_at
            assert (ended_at is not None) == dest.ended
        else:
            ended_at = subject.resolved_at
            assert (ended_at is not None) == (dest.name == "resolved")
        if ended_at is not None:
            assert started <= ended_at <= finished
        assert grievance.version == version + 1, "every step touches the grievance (conflicts)"

        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq > head).order_by(AuditEvent.seq)
        ).all()
        assert [(e.action, e.actor_kind, e.before, e.after) for e in events] == [
            (
                f"{workflow.name}.{transition.trigger}",
                actor.kind.value,
                {"state": source},
                {"state": dest.name, "fields": sorted(fields)},
            )
        ]
        sent = sorted(
            [(m.template, m.person_id, m.organisation_id) for m in messages_since(last_message)],
            key=str,
        )
        assert sent == (owed if transition.notify else [])
        assert all(m.grievance_id == grievance.id for m in messages_since(last_message))
        assert verify_chain().ok


@pytest.mark.parametrize(("workflow", "state", "trigger"), _refused_pairs())
def test_a_step_not_allowed_from_a_state_is_refused_and_changes_nothing(
    stage: Stage, workflow: Workflow, state: str, trigger: str
) -> None:
    subject = stage.subject(workflow.name, state)
    transition = first_transition(workflow, trigger)
    actor = stage.someone_who_may(transition, subject)
    before = Snapshot.of(subject)

    with pytest.raises(TriggerRefused) as refused:
        fire(subject, trigger, actor, **stage.fields_for(transition))

    assert str(workflow.state(state).label) in str(refused.value), "the message names the state"
    assert refused.value.field == "trigger"
    assert Snapshot.of(subject) == before


def test_a_refused_step_is_invalid_input_that_views_show_as_a_message() -> None:
    assert issubclass(TriggerRefused, InvalidInput)


def test_a_trigger_that_a_workflow_does_not_have_is_refused(stage: Stage) -> None:
    track = stage.subject("directly_linked", "engaging")
    before = Snapshot.of(track)

    with pytest.raises(TriggerRefused, match="does not exist"):
        fire(track, "propose_remedy", stage.scenario.handler)

    assert Snapshot.of(track) == before


def _required_fields() -> list[Any]:
    params: dict[str, Any] = {}
    for workflow in WORKFLOWS.values():
        for transition in workflow.transitions:
            for name in transition.requires:
                key = f"{workflow.name}-{transition.trigger}-{name}"
                params.setdefault(key, pytest.param(workflow, transition, name, id=key))
    return list(params.values())


@pytest.mark.parametrize(("workflow", "transition", "missing"), _required_fields())
def test_a_step_without_a_required_field_is_refused_naming_the_field(
    stage: Stage, workflow: Workflow, transition: Transition, missing: str
) -> None:
    subject = stage.subject(workflow.name, transition.source[0], appealed_from(transition))
    fields = {**stage.fields_for(transition), missing: [] if missing == "tracks" else ""}
    before = Snapshot.of(subject)

    with pytest.raises(TriggerRefused) as refused:
        fire(subject, transition.trigger, stage.someone_who_may(transition, subject), **fields)

    assert str(refused.value) == f"Fill in: {FIELD_LABELS[missing]}."
    assert Snapshot.of(subject) == before


# Guards: steps the table allows from a state, refused until their condition holds ----------


def refused(subject: Grievance | InvolvementTrack, trigger: str, actor: Actor, match: str) -> None:
    """Firing is refused with a message that matches, and nothing changed."""
    before = Snapshot.of(subject)
    with pytest.raises(TriggerRefused, match=match):
        fire(subject, trigger, actor, notify_values=MESSAGE_VALUES, reason="Because.")
    assert Snapshot.of(subject) == before


CESSATION = tracks.RemedyActionPlan(RemedyType.CESSATION, "Remove the fence.")
APOLOGY = tracks.RemedyActionPlan(RemedyType.APOLOGY, "A public apology at the chief's baraza.")
LEVERAGE = tracks.LeveragePlan(LeverageType.CONTRACTUAL_DEMAND, "Rift Haulage", "Reroute trucks.")


def test_a_remedy_is_proposed_only_with_an_active_remedy_action(stage: Stage) -> None:
    handler = stage.scenario.handler
    track = stage.build("cause", "planning", ready=False)
    refused(track, "propose_remedy", handler, match="Add at least one remedy action")

    action = tracks.add_remedy_action(handler, track, CESSATION)
    tracks.cancel_remedy_action(handler, action)
    refused(track, "propose_remedy", handler, match="Add at least one remedy action")

    tracks.propose_remedy(handler, track, [APOLOGY])
    assert track.state == "proposed"


def test_a_contributor_proposes_a_remedy_only_with_a_leverage_plan(stage: Stage) -> None:
    handler = stage.scenario.handler
    track = stage.build("contribute", "planning", ready=False)

    with pytest.raises(TriggerRefused, match="leverage action"):
        tracks.propose_remedy(handler, track, [CESSATION])
    assert track.remedy_actions == [], "the refused proposal kept none of its actions"
    assert track.state == "planning"

    tracks.propose_remedy(handler, track, [CESSATION], [LEVERAGE])
    assert track.state == "proposed"


def test_a_directly_linked_organisation_records_leverage_and_commitments_only_once_made(
    stage: Stage,
) -> None:
    handler = stage.scenario.handler
    track = stage.build("directly_linked", "engaging", ready=False)
    refused(track, "record_leverage", handler, match="leverage action")
    refused(track, "partner_commits", handler, match="remedy action")

    tracks.record_leverage(handler, track, LEVERAGE)
    assert track.state == "engaging"
    tracks.partner_commits(handler, track, [CESSATION])
    assert track.state == "partner_remedying"


def test_verification_starts_only_when_every_remedy_action_was_delivered(stage: Stage) -> None:
    track = stage.build("cause", "implementing", ready=False)
    refused(track, "start_verification", SYSTEM, match="reported delivered")

    (action,) = track.remedy_actions
    tracks.report_delivered(stage.scenario.handler, action, "Photos of the open path.")
    assert track.state == "verifying"


def test_closing_without_confirmation_waits_for_the_check_in_window(stage: Stage) -> None:
    supervisor = stage.scenario.supervisor
    track = stage.build("cause", "verifying", ready=False)
    refused(track, "close_without_confirmation", supervisor, match="still have time")

    track.check_in_window_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    tracks.close_without_confirmation(supervisor, track, "Nobody answered three reminders.")
    assert (track.state, track.outcome) == ("unconfirmed", Outcome.UNCONFIRMED)


def test_a_decision_is_appealed_only_within_the_appeal_window(stage: Stage) -> None:
    grievance = stage.build("intake", "not_admissible")
    complainant = stage.scenario.complainant(grievance)
    window = current_app.config["REMEDY_APPEAL_WINDOW"]
    assert grievance.decided_at is not None
    grievance.decided_at = utcnow() - window - timedelta(days=1)
    db.session.commit()
    refused(grievance, "appeal", complainant, match="time to appeal")

    grievance.decided_at = utcnow() - window + timedelta(days=1)
    db.session.commit()
    intake.appeal(complainant, grievance, "The fence is on our land.")
    assert grievance.state == "under_review"


def test_an_appeal_is_reviewed_by_someone_other_than_the_person_who_decided(
    stage: Stage,
) -> None:
    s = stage.scenario
    grievance = stage.build("intake", "screening")
    intake.reject(s.supervisor, grievance, "Outside our operations.", s.court())
    intake.appeal(s.complainant(grievance), grievance, "The fence is on our land.")
    refused(grievance, "uphold", s.supervisor, match="someone other than the person who decided")
    refused(grievance, "overturn", s.supervisor, match="someone other than the person who decided")

    intake.review(s.other_supervisor, grievance, uphold=False, reason="It is on their land.")
    assert grievance.state == "screening"


def test_a_grievance_is_resolved_only_once_every_track_has_ended(stage: Stage) -> None:
    grievance = stage.build("intake", "in_remedy", ready=False)
    refused(grievance, "resolve", SYSTEM, match="Every involvement track must have ended")

    for track in grievance.tracks:
        fire(track, "withdraw", SYSTEM)
    fire(grievance, "resolve", SYSTEM, notify_values=MESSAGE_VALUES)
    assert grievance.state == "resolved"


def test_an_ended_remedy_is_reopened_only_within_the_monitoring_window(stage: Stage) -> None:
    track = stage.build("cause", "remedied")
    complainant = stage.scenario.complainant(track.grievance)
    window = current_app.config["REMEDY_MONITORING_WINDOW"]
    track.ended_at = utcnow() - window - timedelta(days=1)
    db.session.commit()
    refused(track, "reopen", complainant, match="monitoring period")

    track.ended_at = utcnow() - window + timedelta(days=1)
    db.session.commit()
    fire(track, "reopen", complainant)
    assert (track.state, track.outcome, track.ended_at) == ("implementing", None, None)


def test_a_track_changes_only_while_its_grievance_is_in_remedy(stage: Stage) -> None:
    """Else a resolved grievance could hold a reopened track: the follow-up service
    reopens the grievance first, then the track."""
    s = stage.scenario
    grievance, (track,) = s.in_remedy(TrackKind.CAUSE)
    s.remedied(track)
    assert grievance.state == "resolved"
    person = s.complainant(grievance, grievance.people[0].person_id)
    refused(track, "reopen", person, match="not in remedy")
    assert allowed_transitions(track, person) == []

    check_ins.open_due_follow_ups(utcnow() + timedelta(days=31))
    (question,) = [c for c in s.follow_ups(track) if c.is_open and c.person_id is not None]
    check_ins.answer_check_in(person, question, Answer.NO, "The fence is back.")

    assert (grievance.state, track.state) == ("in_remedy", "implementing")


# The services around the engine: the rest of the work a step needs ---------------------------


@pytest.mark.parametrize(
    ("state", "decide", "ended"),
    [
        pytest.param("screening", intake.reject, "not_admissible", id="reject"),
        pytest.param("assessment", intake.find_no_involvement, "no_involvement", id="no-link"),
    ],
)
def test_a_decision_not_to_act_records_the_referral_and_who_decided(
    stage: Stage, state: str, decide: Callable[..., None], ended: str
) -> None:
    s = stage.scenario
    grievance = stage.build("intake", state)
    last_message = last_message_id()

    decide(s.handler, grievance, "The road belongs to the county.", s.court())

    assert (grievance.state, grievance.outcome) == (ended, Outcome(ended))
    (referral,) = db.session.scalars(select(Referral).where(Referral.grievance_id == grievance.id))
    assert referral.mechanism_id == s.court()
    assert referral.referred_by == s.handler.id
    assert grievance.decided_by_user_id == int(str(s.handler.id))
    assert grievance.decided_at is not None
    messages = [m for m in messages_since(last_message) if m.template != "fairness"]
    assert len(messages) == len(recipients(grievance))
    mechanism = referral.mechanism.name
    assert all("The road belongs to the county" in m.body for m in messages)
    assert all(mechanism in m.body for m in messages)


def test_classifying_opens_one_track_per_organisation_in_the_workflow_of_its_kind(
    stage: Stage,
) -> None:
    s = stage.scenario
    grievance = stage.build("intake", "assessment")
    plans = [
        intake.TrackPlan(s.company, TrackKind.CONTRIBUTE, "Our fence, their trucks."),
        intake.TrackPlan(s.partner, TrackKind.DIRECTLY_LINKED, "Hauls for us."),
    ]
    head = audit_head()

    opened = intake.classify(s.handler, grievance, plans, intake.Severity(3, 2, 1))

    assert grievance.state == "in_remedy"
    assert grievance.severity == 3
    assert [(t.organisation_id, t.kind, t.state) for t in opened] == [
        (s.company.id, TrackKind.CONTRIBUTE, "planning"),
        (s.partner.id, TrackKind.DIRECTLY_LINKED, "engaging"),
    ]
    assert all(t.due_at is not None for t in opened)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.seq > head).order_by(AuditEvent.seq)
    ).all()
    # The partner is not served: the people are asked whether it may know who they are.
    assert actions == ["intake.classify", "track.open", "track.open", "identity.consent_asked"]


def test_withdrawing_ends_every_open_track_and_withdraws_the_open_questions(
    stage: Stage,
) -> None:
    track = stage.build("cause", "verifying")
    grievance = track.grievance
    assert stage.scenario.open_check_ins(track)
    last_message = last_message_id()

    intake.withdraw(stage.scenario.complainant(grievance), grievance)

    assert (grievance.state, grievance.outcome) == ("withdrawn", Outcome.WITHDRAWN)
    assert [(t.state, t.outcome) for t in grievance.tracks] == [
        ("withdrawn", Outcome.WITHDRAWN),
        ("withdrawn", Outcome.WITHDRAWN),
    ]
    assert stage.scenario.open_check_ins(track) == []
    templates = [m.template for m in messages_since(last_message)]
    assert templates == ["withdrawn"] * len(recipients(grievance)), "one message, not three"


def test_the_last_delivery_starts_verification_and_asks_every_recipient(stage: Stage) -> None:
    handler = stage.scenario.handler
    track = stage.build("cause", "implementing", ready=False)
    second = tracks.add_remedy_action(handler, track, APOLOGY)
    first = track.remedy_actions[0]

    tracks.report_delivered(handler, first, "Photos of the open path.")
    assert track.state == "implementing"
    assert track.check_ins == []

    last_message = last_message_id()
    tracks.report_delivered(handler, second, "Minutes of the baraza.")

    assert track.state == "verifying"
    asked = stage.scenario.open_check_ins(track)
    people = recipients(track.grievance)
    assert sorted([(c.person_id, c.proxy_organisation_id) for c in asked], key=str) == sorted(
        [(r.person.id if r.person else None, r.organisation_id) for r in people], key=str
    )
    assert track.check_in_window_ends_at is not None
    assert [m.template for m in messages_since(last_message)] == ["check_in"] * len(people)


def test_cancelling_the_last_undelivered_action_starts_verification(stage: Stage) -> None:
    """Otherwise the track would wait in implementing for a delivery that will never come."""
    handler = stage.scenario.handler
    track = stage.build("cause", "implementing", ready=False)
    second = tracks.add_remedy_action(handler, track, APOLOGY)
    tracks.report_delivered(handler, track.remedy_actions[0], "Photos of the open path.")

    tracks.cancel_remedy_action(handler, second)

    assert track.state == "verifying"
    assert stage.scenario.open_check_ins(track)


@pytest.mark.parametrize(
    ("kind", "ended", "outcome"),
    [
        (TrackKind.CAUSE, "remedied", Outcome.REMEDIED),
        (TrackKind.CONTRIBUTE, "partly_remedied", Outcome.PARTLY_REMEDIED),
        (TrackKind.CAUSE, "unconfirmed", Outcome.UNCONFIRMED),
        (TrackKind.DIRECTLY_LINKED, "referred", Outcome.REFERRED),
        (TrackKind.DIRECTLY_LINKED, "relationship_ended", Outcome.NOT_REMEDIED),
    ],
)
def test_the_last_track_to_end_resolves_the_grievance_with_an_outcome_from_theirs(
    stage: Stage, kind: TrackKind, ended: str, outcome: Outcome
) -> None:
    s = stage.scenario
    grievance, (track,) = s.in_remedy(kind)
    last_message = last_message_id()

    s.to_track_state(track, ended)

    assert (track.state, track.outcome) == (ended, outcome)
    assert (grievance.state, grievance.outcome) == ("resolved", outcome)
    assert grievance.resolved_at is not None
    resolved = [m for m in messages_since(last_message) if m.template == "resolved"]
    assert len(resolved) == len(recipients(grievance))
    if ended == "partly_remedied":
        assert track.gap == "The water point is still missing."
    if ended == "referred":
        (referral,) = db.session.scalars(select(Referral).where(Referral.track_id == track.id))
        assert referral.mechanism_id == s.court()
    follow_ups = s.follow_ups(track)
    if ended != "relationship_ended":
        assert len(follow_ups) == 2 * len(recipients(grievance)), "at 30 and at 90 days"
        assert all(c.opened_at is None for c in follow_ups)


def test_a_track_ending_while_another_is_open_leaves_the_grievance_in_remedy(
    stage: Stage,
) -> None:
    track = stage.build("cause", "remedied")
    assert track.grievance.state == "in_remedy"
    assert track.grievance.outcome is None


def test_a_no_from_the_people_sends_the_remedy_back_to_work_and_alerts_the_team(
    stage: Stage,
) -> None:
    s = stage.scenario
    track = stage.build("cause", "verifying")
    first, *others = s.open_check_ins(track)
    last_message = last_message_id()

    check_ins.answer_check_in(s.complainant(track.grievance), first, Answer.NO, "Still fenced.")

    assert track.state == "implementing"
    assert all(c.cancelled_at is not None for c in others), "the round is over"
    alerted = {m.user_id for m in messages_since(last_message) if m.template == "staff_disputed"}
    assert int(str(s.handler.id)) in alerted
    assert int(str(s.supervisor.id)) in alerted


# One unit of work: a step that fails leaves nothing behind ----------------------------------


def test_a_step_whose_message_cannot_be_queued_leaves_nothing_behind(
    stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    grievance = stage.subject("intake", "screening")
    before = Snapshot.of(grievance)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the outbox is unavailable")

    monkeypatch.setattr("remedy.cases.triggers.notify_people", broken)
    with pytest.raises(RuntimeError, match="outbox"):
        fire(grievance, "accept", stage.scenario.handler)

    assert Snapshot.of(grievance) == before
    assert grievance.state == "screening"


def test_a_service_that_fails_after_its_step_undoes_the_step_too(
    stage: Stage, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = stage.scenario
    grievance = stage.subject("intake", "screening")
    before = Snapshot.of(grievance)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the referral directory is unavailable")

    monkeypatch.setattr("remedy.cases.intake.record_referral", broken)
    with pytest.raises(RuntimeError, match="directory"):
        intake.reject(s.handler, grievance, "Outside our operations.", s.court())

    assert Snapshot.of(grievance) == before
    assert (grievance.state, grievance.decided_at) == ("screening", None)

"""Track use cases: remedy plans, leverage, delivery, referral, reclassification."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.cases import check_in_rounds, people_writing
from remedy.cases.consultations import Consultation, record_for_decision
from remedy.cases.intake import MAX_TEXT, resolve_if_done
from remedy.cases.notify import notify_people
from remedy.cases.policy import (
    DELIVERING_STATES,
    delivery_refusal,
    leverage_refusal,
    planning_refusal,
    reclassify_refusal,
    refuse,
)
from remedy.cases.referrals import describe, get_mechanism, record_referral
from remedy.cases.triggers import fire, start_in
from remedy.core.actors import SYSTEM, Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.models.group_consultation import GroupDecision
from remedy.models.involvement_track import InvolvementTrack, TrackClassification, TrackKind
from remedy.models.leverage_action import LeverageAction, LeverageStatus, LeverageType
from remedy.models.people_text import TextField
from remedy.models.remedy_action import ActionOwner, ActionStatus, RemedyAction, RemedyType
from remedy.models.types import utcnow
from remedy.workflows import WORKFLOWS
from remedy.workflows.states import TrackState

WORK_STATES = frozenset(
    {
        TrackState.PLANNING,
        TrackState.DIALOGUE,
        TrackState.IMPLEMENTING,
        TrackState.ENGAGING,
        TrackState.ESCALATED,
        TrackState.PARTNER_REMEDYING,
    }
)


@dataclass(frozen=True)
class RemedyActionPlan:
    type: RemedyType
    description: str
    owner: ActionOwner = ActionOwner.THIS_ORGANISATION
    due_date: date | None = None
    financial: bool = False
    # The description again in the people's languages, by language code.
    texts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LeveragePlan:
    type: LeverageType
    target: str
    description: str
    due_date: date | None = None


def _text(value: str, field: str, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(_("Describe it in a few words."), field)
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_TEXT), field)
    return cleaned


def _touch(track: InvolvementTrack) -> None:
    """Changes to a track's plan bump the grievance version like a trigger does."""
    track.grievance.updated_at = utcnow()


@transactional
def add_remedy_action(
    actor: Actor, track: InvolvementTrack, plan: RemedyActionPlan
) -> RemedyAction:
    refuse(planning_refusal(actor, track))
    if plan.due_date is not None and plan.due_date < utcnow().date():
        raise InvalidInput(_("The due date has passed."), "due_date")
    action = RemedyAction(
        type=plan.type,
        description=_text(plan.description, "description"),
        owner=plan.owner,
        due_date=plan.due_date,
        financial=plan.financial and plan.type is RemedyType.COMPENSATION,
    )
    track.remedy_actions.append(action)
    db.session.flush()
    _touch(track)
    audit.record(
        actor,
        "remedy_action.add",
        "track",
        track.id,
        after={"action_id": action.id, "type": plan.type, "owner": plan.owner},
    )
    people_writing.write_texts(actor, action, TextField.DESCRIPTION, plan.texts)
    return action


@transactional
def add_leverage_action(
    actor: Actor, track: InvolvementTrack, plan: LeveragePlan
) -> LeverageAction:
    refuse(leverage_refusal(actor, track))
    target = " ".join(plan.target.split())
    if not target or len(target) > 200:
        raise InvalidInput(_("Name the business relationship (at most 200 characters)."), "target")
    action = LeverageAction(
        type=plan.type,
        target=target,
        description=_text(plan.description, "description"),
        due_date=plan.due_date,
    )
    track.leverage_actions.append(action)
    db.session.flush()
    _touch(track)
    audit.record(
        actor,
        "leverage_action.add",
        "track",
        track.id,
        after={"leverage_id": action.id, "type": plan.type},
    )
    return action


@transactional
def propose_remedy(
    actor: Actor,
    track: InvolvementTrack,
    actions: Sequence[RemedyActionPlan] = (),
    leverage: Sequence[LeveragePlan] = (),
    expected_version: int | None = None,
) -> None:
    """Add the proposed actions (and, for contribute, the leverage plan), then propose."""
    for plan in actions:
        add_remedy_action(actor, track, plan)
    for item in leverage:
        add_leverage_action(actor, track, item)
    fire(track, "propose_remedy", actor, expected_version=expected_version)


@transactional
def accept_proposal(
    actor: Actor, track: InvolvementTrack, consultation: Consultation | None = None
) -> None:
    """A proxy accepting for a group says how it consulted them (``consultations``)."""
    fire(track, "accept_proposal", actor)
    record_for_decision(actor, track.grievance, GroupDecision.ACCEPT_PROPOSAL, consultation, track)


@transactional
def decline_proposal(
    actor: Actor, track: InvolvementTrack, reason: str, consultation: Consultation | None = None
) -> None:
    fire(track, "decline_proposal", actor, reason=_text(reason, "reason", required=False))
    record_for_decision(actor, track.grievance, GroupDecision.DECLINE_PROPOSAL, consultation, track)


@transactional
def cancel_remedy_action(actor: Actor, action: RemedyAction) -> None:
    track = action.track
    refuse(planning_refusal(actor, track))
    if action.is_delivered:
        raise InvalidInput(_("A delivered action cannot be cancelled."), "action")
    action.status = ActionStatus.CANCELLED
    _touch(track)
    audit.record(actor, "remedy_action.cancel", "track", track.id, after={"action_id": action.id})
    _verify_once_delivered(track)


@transactional
def report_delivered(actor: Actor, action: RemedyAction, evidence: str) -> None:
    """When the last active action is delivered, verification by the people starts."""
    track = action.track
    refuse(delivery_refusal(actor, track))
    if not action.is_active or action.is_delivered:
        raise InvalidInput(_("This action is not waiting for delivery."), "action")
    action.status = ActionStatus.DELIVERED
    action.evidence = _text(evidence, "evidence")
    action.delivered_at = utcnow()
    _touch(track)
    audit.record(actor, "remedy_action.deliver", "track", track.id, after={"action_id": action.id})
    _verify_once_delivered(track)


def _verify_once_delivered(track: InvolvementTrack) -> None:
    """Once every active action is delivered (the last delivered, or the last other one
    cancelled), verification by the people starts."""
    active = [item for item in track.remedy_actions if item.is_active]
    delivering = track.state in DELIVERING_STATES
    if delivering and active and all(item.is_delivered for item in active):
        fire(track, "start_verification", SYSTEM)
        check_in_rounds.open_delivery_check_ins(track)


@transactional
def record_leverage(actor: Actor, track: InvolvementTrack, plan: LeveragePlan) -> LeverageAction:
    """Directly linked tracks stay engaging; contribute tracks record it beside the remedy."""
    action = add_leverage_action(actor, track, plan)
    if track.kind is TrackKind.DIRECTLY_LINKED and track.state == TrackState.ENGAGING:
        fire(track, "record_leverage", actor)
    return action


@transactional
def complete_leverage(actor: Actor, action: LeverageAction, result: str) -> None:
    track = action.track
    refuse(leverage_refusal(actor, track))
    action.status = LeverageStatus.DONE
    action.result = _text(result, "result")
    _touch(track)
    audit.record(
        actor, "leverage_action.complete", "track", track.id, after={"leverage_id": action.id}
    )


@transactional
def partner_commits(
    actor: Actor, track: InvolvementTrack, actions: Sequence[RemedyActionPlan]
) -> None:
    for plan in actions:
        add_remedy_action(actor, track, plan)
    fire(track, "partner_commits", actor)


def escalate(actor: Actor, track: InvolvementTrack, reason: str) -> None:
    fire(track, "escalate", actor, reason=_text(reason, "reason"))


@transactional
def end_relationship(actor: Actor, track: InvolvementTrack, impact_assessment: str) -> None:
    fire(
        track,
        "end_relationship",
        actor,
        impact_assessment=_text(impact_assessment, "impact_assessment"),
    )
    resolve_if_done(track.grievance)


@transactional
def refer(actor: Actor, track: InvolvementTrack, mechanism_id: int | None, reason: str) -> None:
    reason = _text(reason, "reason")
    mechanism = get_mechanism(mechanism_id) if mechanism_id else None
    fire(
        track,
        "refer",
        actor,
        reason=reason,
        referral=mechanism,
        notify_values={"reason": reason, "referral": describe(mechanism) if mechanism else ""},
    )
    assert mechanism is not None
    record_referral(actor, track.grievance, mechanism, reason, track)
    check_in_rounds.schedule_follow_ups(track)
    resolve_if_done(track.grievance)


@transactional
def close_without_confirmation(actor: Actor, track: InvolvementTrack, reason: str) -> None:
    reason = _text(reason, "reason")
    fire(
        track,
        "close_without_confirmation",
        actor,
        reason=reason,
        notify_values={"reason": reason},
    )
    check_in_rounds.cancel_open_check_ins(track)
    check_in_rounds.schedule_follow_ups(track)
    resolve_if_done(track.grievance)


@transactional
def reclassify(
    actor: Actor,
    track: InvolvementTrack,
    kind: TrackKind,
    rationale: str,
    explanation: str | None = None,
    explanations: Mapping[str, str] | None = None,
) -> None:
    """Another kind of involvement: the track restarts in that kind's workflow; history stays.

    Questions still open about the old plan are withdrawn: an answer could no longer count.
    A contested classification is settled this way too, and the people are told.
    """
    refuse(reclassify_refusal(actor, track))
    if kind is track.kind:
        raise InvalidInput(_("Choose a different kind of involvement."), "kind")
    rationale = _text(rationale, "rationale")
    before = {"kind": track.kind, "state": track.state}
    contested = track.state == TrackState.CLASSIFICATION_CONTESTED
    track.kind = kind
    track.explanation = _text(explanation or "", "explanation", required=False) or None
    start_in(track, WORKFLOWS[kind.value].initial)
    check_in_rounds.cancel_open_check_ins(track)
    track.classifications.append(
        TrackClassification(
            kind=kind, rationale=rationale, explanation=track.explanation, decided_by=actor.id
        )
    )
    track.contested_state = track.contest_reason = None
    track.explanation_asked_in = None
    # The old explanation's versions go with it; the new one's are kept.
    people_writing.write_texts(
        actor, track, TextField.EXPLANATION, explanations or {}, replace=True
    )
    _touch(track)
    event = audit.record(
        actor,
        "track.reclassify",
        "track",
        track.id,
        before=before,
        after={"kind": kind, "state": track.state, "contested": contested},
    )
    if contested:
        notify_people(track.grievance, "classification_changed", f"a{event.seq}", {}, track)

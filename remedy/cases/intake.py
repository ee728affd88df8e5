"""Intake use cases: acknowledge, screen, ask, classify, decide, withdraw, appeal, review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases import check_in_rounds, identity_consent, people_writing
from remedy.cases.policy import party_includes
from remedy.cases.referrals import describe, get_mechanism, record_referral
from remedy.cases.triggers import fire, policy_for, start_in
from remedy.core.actors import SYSTEM, Actor
from remedy.core.errors import InvalidInput, NotAllowed, TriggerRefused
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic, transactional
from remedy.models.added_information import AddedInformation
from remedy.models.appeal import Appeal, AppealResult
from remedy.models.grievance import Grievance, Outcome
from remedy.models.involvement_track import InvolvementTrack, TrackClassification, TrackKind
from remedy.models.organisation import Organisation
from remedy.models.people_text import TextField
from remedy.models.types import utcnow
from remedy.workflows import WORKFLOWS
from remedy.workflows.definition import MandateScope, Party
from remedy.workflows.states import IntakeState

MAX_TEXT = 5000


def _text(value: str | None, field: str) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_TEXT), field)
    return cleaned


def _decided(grievance: Grievance, actor: Actor) -> None:
    grievance.decided_by_user_id = actor.staff_user_id
    grievance.decided_at = utcnow()
    grievance.feedback_due_at = None


@transactional
def start_intake(grievance: Grievance) -> None:
    """Right after filing: fix the jurisdiction's promises, then acknowledge."""
    policy = policy_for(grievance)
    if policy.feedback_within is not None:
        grievance.feedback_due_at = grievance.received_at + policy.feedback_within
    acknowledge(grievance)


def acknowledge(grievance: Grievance) -> None:
    fire(grievance, "acknowledge", SYSTEM)


def accept(actor: Actor, grievance: Grievance, expected_version: int | None = None) -> None:
    fire(grievance, "accept", actor, expected_version=expected_version)


def _decide_with_referral(
    actor: Actor,
    grievance: Grievance,
    trigger: str,
    reason: str,
    mechanism_id: int | None,
    expected_version: int | None,
) -> None:
    """A decision that ends intake: why, and where else the complainant can go."""
    reason = _text(reason, "reason")
    mechanism = get_mechanism(mechanism_id) if mechanism_id else None
    fire(
        grievance,
        trigger,
        actor,
        expected_version=expected_version,
        reason=reason,
        referral=mechanism,
        notify_values={"reason": reason, "referral": describe(mechanism) if mechanism else ""},
    )
    assert mechanism is not None  # the trigger requires a referral
    record_referral(actor, grievance, mechanism, reason)
    _decided(grievance, actor)


@transactional
def reject(
    actor: Actor,
    grievance: Grievance,
    reason: str,
    mechanism_id: int | None,
    expected_version: int | None = None,
) -> None:
    _decide_with_referral(actor, grievance, "reject", reason, mechanism_id, expected_version)


def request_info(
    actor: Actor, grievance: Grievance, question: str, expected_version: int | None = None
) -> None:
    question = _text(question, "question")
    fire(
        grievance,
        "request_info",
        actor,
        expected_version=expected_version,
        question=question,
        notify_values={"question": question},
    )


@transactional
def provide_information(actor: Actor, grievance: Grievance, information: str) -> AddedInformation:
    """Complainants may add information at any time; it answers a pending question too."""
    information = _text(information, "information")
    if not information:
        raise InvalidInput(_("Write the information you want to add."), "information")
    # The people, their mandated proxy, or the team writing down what was said by phone.
    allowed = any(
        party_includes(party, actor, grievance, None, MandateScope.FOLLOW)
        for party in (Party.COMPLAINANT, Party.TEAM)
    )
    if not allowed:
        raise NotAllowed(_("You may not do this on this case."))
    added = AddedInformation(grievance_id=grievance.id, text=information, added_by=actor.kind)
    db.session.add(added)
    if grievance.state == IntakeState.AWAITING_COMPLAINANT:
        fire(grievance, "info_received", actor, information=information)
    else:
        grievance.updated_at = utcnow()
        audit.record(actor, "grievance.add_information", "grievance", grievance.reference)
    return added


@dataclass(frozen=True)
class TrackPlan:
    """One organisation's involvement as assessed: kind and why."""

    organisation: Organisation
    kind: TrackKind
    rationale: str
    # The rationale as the people are told it (optional: nothing is said without it).
    explanation: str | None = None
    # That explanation again in the people's languages, by language code.
    explanations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Severity:
    scale: int
    scope: int
    irremediability: int


def check_severity(severity: Severity) -> None:
    for name in ("scale", "scope", "irremediability"):
        if not 1 <= getattr(severity, name) <= 4:
            raise InvalidInput(_("Severity is rated from 1 (low) to 4 (very high)."), name)


def open_track(actor: Actor, grievance: Grievance, plan: TrackPlan) -> InvolvementTrack:
    """A new track in its workflow's first state (or a restarted one after an appeal)."""
    rationale = _text(plan.rationale, "rationale")
    if not rationale:
        raise InvalidInput(_("Explain why the organisation is involved this way."), "rationale")
    track = next((t for t in grievance.tracks if t.organisation_id == plan.organisation.id), None)
    if track is not None and not track.is_ended:
        raise InvalidInput(_("This organisation already has an open track."), "tracks")
    if track is None:
        track = InvolvementTrack(organisation=plan.organisation, kind=plan.kind)
        grievance.tracks.append(track)
    track.kind = plan.kind
    track.rationale = rationale
    track.explanation = _text(plan.explanation, "explanation") or None
    track.gap = None
    start_in(track, WORKFLOWS[plan.kind.value].initial)
    track.classifications.append(
        TrackClassification(
            kind=plan.kind,
            rationale=rationale,
            explanation=track.explanation,
            decided_by=actor.id,
        )
    )
    return track


def _first_track_deadline(grievance: Grievance, plans: Sequence[TrackPlan]) -> dict[str, object]:
    """When the people will hear next: the earliest deadline of the tracks being opened."""
    policy = policy_for(grievance)
    spans = []
    for plan in plans:
        workflow = WORKFLOWS[plan.kind.value]
        span = policy.deadline_for(
            workflow.state(workflow.initial).deadline, grievance.needs_senior_review
        )
        if span is not None:
            spans.append(span)
    return {"date": utcnow() + min(spans)} if spans else {}


@transactional
def classify(
    actor: Actor,
    grievance: Grievance,
    plans: Sequence[TrackPlan],
    severity: Severity,
    expected_version: int | None = None,
) -> list[InvolvementTrack]:
    """Assessment done: one track per organisation, each running the workflow of its kind."""
    if len({plan.organisation.id for plan in plans}) != len(plans):
        raise InvalidInput(_("Each organisation gets one track."), "tracks")
    check_severity(severity)
    # The assessed severity first: a case found severe gets its tracks' shorter deadlines
    # and tells the people the nearer date (a refusal below rolls it back).
    grievance.severity_scale = severity.scale
    grievance.severity_scope = severity.scope
    grievance.severity_irremediability = severity.irremediability
    fire(
        grievance,
        "classify",
        actor,
        expected_version=expected_version,
        tracks=list(plans),
        notify_values=_first_track_deadline(grievance, plans),
    )
    tracks = [open_track(actor, grievance, plan) for plan in plans]
    grievance.feedback_due_at = None
    db.session.flush()
    for track, plan in zip(tracks, plans, strict=True):
        people_writing.write_texts(
            actor, track, TextField.EXPLANATION, plan.explanations, replace=True
        )
    for track in tracks:
        audit.record(
            actor,
            "track.open",
            "track",
            track.id,
            after={
                "kind": track.kind,
                "organisation_id": track.organisation_id,
                "state": track.state,
            },
        )
        # An organisation the mechanism does not serve sees pseudonyms until the people
        # say it may know who they are.
        identity_consent.ask_for_track(actor, track)
    return tracks


@transactional
def find_no_involvement(
    actor: Actor,
    grievance: Grievance,
    reason: str,
    mechanism_id: int | None,
    expected_version: int | None = None,
) -> None:
    _decide_with_referral(
        actor, grievance, "find_no_involvement", reason, mechanism_id, expected_version
    )


@transactional
def withdraw(actor: Actor, grievance: Grievance, expected_version: int | None = None) -> None:
    """The complainant's choice, at any open stage; every open track ends with it."""
    fire(grievance, "withdraw", actor, expected_version=expected_version)
    for track in grievance.tracks:
        if not track.is_ended:
            fire(track, "withdraw", SYSTEM)
        check_in_rounds.cancel_open_check_ins(track)


def derive_outcome(tracks: Sequence[InvolvementTrack]) -> Outcome:
    """A grievance's outcome from its tracks' (documented in docs/workflows.md)."""
    outcomes = {track.outcome for track in tracks}
    if outcomes == {Outcome.REMEDIED}:
        return Outcome.REMEDIED
    if outcomes & {Outcome.REMEDIED, Outcome.PARTLY_REMEDIED}:
        return Outcome.PARTLY_REMEDIED
    if Outcome.UNCONFIRMED in outcomes:
        return Outcome.UNCONFIRMED
    if Outcome.REFERRED in outcomes:
        return Outcome.REFERRED
    return Outcome.NOT_REMEDIED


def resolve_if_done(grievance: Grievance) -> bool:
    """Resolve the grievance once every track has ended; its outcome comes from theirs."""
    if grievance.state != IntakeState.IN_REMEDY or not all(t.is_ended for t in grievance.tracks):
        return False
    outcome = derive_outcome(grievance.tracks)
    with atomic():
        fire(grievance, "resolve", SYSTEM, notify_values={"outcome": outcome})
        grievance.outcome = outcome
        grievance.decided_by_user_id = None
        grievance.decided_at = utcnow()
    return True


def _open_appeal(grievance: Grievance) -> Appeal | None:
    return db.session.scalar(
        select(Appeal)
        .where(Appeal.grievance_id == grievance.id, Appeal.result.is_(None))
        .order_by(Appeal.id.desc())
    )


@transactional
def appeal(actor: Actor, grievance: Grievance, reason: str) -> Appeal:
    """Once per decision, within the appeal window; reviewed by someone else."""
    reason = _text(reason, "reason")
    already = (
        db.session.scalar(
            select(Appeal).where(
                Appeal.grievance_id == grievance.id,
                Appeal.appealed_state == grievance.state,
                Appeal.lodged_at >= grievance.decided_at,
            )
        )
        if grievance.decided_at
        else None
    )
    if already is not None:
        raise TriggerRefused(_("This decision was already appealed and reviewed."), "trigger")
    appealed_state = grievance.state
    fire(grievance, "appeal", actor, reason=reason)
    grievance.appealed_state = appealed_state
    record = Appeal(
        grievance_id=grievance.id,
        appealed_state=appealed_state,
        decided_by_user_id=grievance.decided_by_user_id,
        reason=reason,
        lodged_by=actor.id,
    )
    db.session.add(record)
    return record


@transactional
def review(
    actor: Actor,
    grievance: Grievance,
    uphold: bool,
    reason: str,
    expected_version: int | None = None,
) -> Appeal:
    """A supervisor who did not take the decision upholds or overturns it."""
    reason = _text(reason, "reason")
    record = _open_appeal(grievance)
    if record is None:
        raise TriggerRefused(_("There is no appeal to review."), "trigger")
    trigger = "uphold" if uphold else "overturn"
    fire(
        grievance,
        trigger,
        actor,
        expected_version=expected_version,
        reason=reason,
        notify_values={"reason": reason},
    )
    record.reviewer_user_id = actor.staff_user_id
    record.result = AppealResult.UPHELD if uphold else AppealResult.OVERTURNED
    record.review_reason = reason
    record.reviewed_at = utcnow()
    if uphold and grievance.state == IntakeState.RESOLVED:
        grievance.outcome = derive_outcome(grievance.tracks)
    if not uphold:
        grievance.decided_by_user_id = None
        grievance.decided_at = None
    grievance.appealed_state = None
    return record

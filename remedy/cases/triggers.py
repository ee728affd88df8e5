"""Firing a workflow trigger: the one place where a grievance or track changes state.

In one unit of work: find the transition, check who may fire it, its required
fields and guards, let the ``transitions`` machine set the new state, keep the
deadline and outcome in step, append the audit event, and queue the message
every recipient is owed. Any exception rolls all of it back. The grievance row
is touched on every trigger, so its version column makes two concurrent
triggers on the same grievance (or any of its tracks) conflict instead of
silently overwriting each other.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from remedy.audit import log as audit
from remedy.cases.mechanism_feedback import ask_when_ended
from remedy.cases.notify import notify_people
from remedy.cases.policy import may_fire
from remedy.core.actors import SYSTEM, Actor
from remedy.core.errors import ConflictError, NotAllowed, TriggerRefused
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.signals import state_changed
from remedy.core.unit_of_work import atomic
from remedy.models.grievance import Grievance, Outcome
from remedy.models.involvement_track import InvolvementTrack
from remedy.workflows import workflow_for
from remedy.workflows.context import Subject, TriggerContext
from remedy.workflows.deadlines import POLICIES, JurisdictionPolicy, with_overrides
from remedy.workflows.definition import Transition
from remedy.workflows.states import IntakeState, TrackState

STATE_OUTCOMES: dict[str, Outcome] = {
    TrackState.REMEDIED: Outcome.REMEDIED,
    TrackState.PARTLY_REMEDIED: Outcome.PARTLY_REMEDIED,
    TrackState.UNCONFIRMED: Outcome.UNCONFIRMED,
    TrackState.REFERRED: Outcome.REFERRED,
    TrackState.RELATIONSHIP_ENDED: Outcome.NOT_REMEDIED,
    IntakeState.WITHDRAWN: Outcome.WITHDRAWN,  # the same name on tracks
    IntakeState.NOT_ADMISSIBLE: Outcome.NOT_ADMISSIBLE,
    IntakeState.NO_INVOLVEMENT: Outcome.NO_INVOLVEMENT,
}
# How required fields are named to the person who left one out.
FIELD_LABELS = {
    "reason": _l("the reason"),
    "referral": _l("where to refer the complainant"),
    "question": _l("the question"),
    "information": _l("the information"),
    "tracks": _l("the organisations involved"),
    "gap": _l("what is still missing"),
    "impact_assessment": _l("the assessment of the impacts of ending the relationship"),
    "explanation": _l("the explanation"),
    "proceeding": _l("the kind of proceeding"),
}
# Triggers a track accepts while its grievance is not in remedy: the tracks of a withdrawn
# grievance end with it. A track is reopened only once its grievance is back in remedy
# (check_ins reopens the grievance first), or a resolved grievance would hold an open track.
TRACK_TRIGGERS_OUTSIDE_REMEDY = frozenset({"withdraw"})


def policy_for(grievance: Grievance) -> JurisdictionPolicy:
    policy = POLICIES.get(grievance.jurisdiction, POLICIES["default"])
    return with_overrides(policy, settings().deadline_overrides)


def split(subject: Subject) -> tuple[Grievance, InvolvementTrack | None]:
    if isinstance(subject, InvolvementTrack):
        return subject.grievance, subject
    return subject, None


def state_label(subject: Subject) -> str:
    return str(workflow_for(subject).state(subject.state).label)


def refusal(ctx: TriggerContext, transition: Transition) -> str | None:
    """Why this actor may not fire this transition now, or None. Shared with the UI."""
    if not may_fire(transition, ctx.actor, ctx.grievance, ctx.track):
        return _("You may not do this on this case.")
    track_frozen = ctx.track is not None and ctx.grievance.state != IntakeState.IN_REMEDY
    if track_frozen and transition.trigger not in TRACK_TRIGGERS_OUTSIDE_REMEDY:
        return _("The grievance is not in remedy, so its tracks cannot change.")
    for name in transition.requires:
        value = ctx.fields.get(name)
        if value in (None, [], (), {}) or (isinstance(value, str) and not value.strip()):
            return _("Fill in: %(field)s.", field=str(FIELD_LABELS.get(name, name)))
    for guard in transition.guards:
        reason = guard(ctx)
        if reason is not None:
            return str(reason)
    return None


def allowed_transitions(subject: Subject, actor: Actor) -> list[Transition]:
    """The triggers this actor could fire now (required fields aside): what the UI offers."""
    workflow = workflow_for(subject)
    grievance, track = split(subject)
    offered = []
    for trigger in workflow.triggers:
        chosen = workflow.choose(trigger, subject)
        if chosen is None:
            continue
        # Required fields are filled by the person acting; assume them given here.
        given = {name: "given" for name in chosen.requires}
        ctx = TriggerContext(workflow, subject, grievance, track, actor, given)
        if refusal(ctx, chosen) is None:
            offered.append(chosen)
    return offered


def _enter(ctx: TriggerContext, dest: str) -> None:
    """Bookkeeping of the state just entered: deadline, end time, outcome."""
    subject, grievance = ctx.subject, ctx.grievance
    state = ctx.workflow.state(dest)
    span = policy_for(grievance).deadline_for(state.deadline, grievance.needs_senior_review)
    subject.due_at = ctx.now + span if span else None
    subject.overdue_at = None
    if state.ended:
        subject.outcome = STATE_OUTCOMES.get(dest)
        if isinstance(subject, InvolvementTrack):
            subject.ended_at = ctx.now
        else:
            grievance.ended_at = ctx.now
            if dest == IntakeState.RESOLVED:
                grievance.resolved_at = ctx.now
    else:
        subject.outcome = None
        if isinstance(subject, InvolvementTrack):
            subject.ended_at = None
        else:
            grievance.resolved_at = None
            grievance.ended_at = None


def start_in(track: InvolvementTrack, state: str) -> None:
    """Put a new (or restarted) track in its workflow's first state, with its deadline;
    signalled as a change (from no state at all, for a new track)."""
    before = track.state
    track.state = state
    ctx = TriggerContext(workflow_for(track), track, track.grievance, track, SYSTEM, {})
    _enter(ctx, state)
    track.check_in_window_ends_at = None
    if before != state:
        state_changed.send(track, before=before, after=state)


def fire(
    subject: Subject,
    trigger: str,
    actor: Actor,
    *,
    expected_version: int | None = None,
    notify_values: dict[str, Any] | None = None,
    **fields: Any,
) -> Transition:
    """Fire ``trigger`` on a grievance or track as ``actor``; raises if refused."""
    workflow = workflow_for(subject)
    grievance, track = split(subject)
    with atomic():
        if expected_version is not None and expected_version != grievance.version:
            raise ConflictError("the grievance changed since it was shown")
        if trigger not in workflow.triggers:
            raise TriggerRefused(_("This step does not exist here."), "trigger")
        transition = workflow.choose(trigger, subject)
        if transition is None:
            raise TriggerRefused(
                _(
                    "This step is not possible while the case is: %(state)s.",
                    state=state_label(subject),
                ),
                "trigger",
            )
        ctx = TriggerContext(workflow, subject, grievance, track, actor, fields)
        reason = refusal(ctx, transition)
        if reason is not None:
            allowed = may_fire(transition, actor, grievance, track)
            raise (TriggerRefused(reason, "trigger") if allowed else NotAllowed(reason))
        before = subject.state
        if not workflow.machine.events[trigger].trigger(subject):
            raise TriggerRefused(_("This step is not possible now."), "trigger")
        _enter(ctx, transition.dest)
        grievance.updated_at = ctx.now  # bumps the grievance's version on every trigger
        event = audit.record(
            actor,
            f"{workflow.name}.{trigger}",
            "track" if track is not None else "grievance",
            track.id if track is not None else grievance.reference,
            before={"state": before},
            after={"state": transition.dest, "fields": sorted(fields)},
        )
        state_changed.send(subject, before=before, after=transition.dest)
        if transition.notify:
            deadline = {"date": subject.due_at} if subject.due_at else {}
            values = {**deadline, **(notify_values or {})}
            notify_people(grievance, transition.notify, f"a{event.seq}", values, track)
        if track is None and grievance.ended_at == ctx.now:
            # The case is over: how fair was its handling (after the closing message).
            ask_when_ended(grievance, f"f{event.seq}")
        db.session.flush()
    return transition

"""The workflow steps people take by hand, each with its typed inputs and its use case.

Steps are not fired raw: most come with work done in the same unit of work (a rejection
records its referral, a classification opens the tracks, a proposal adds its remedy
actions). One table here says which use case in ``remedy.services`` each trigger runs and
what it needs; the console and the API only parse their own format (form fields, JSON)
into these inputs. ``fire`` inside the use case still checks who may, the state and the
guards. Triggers Remedy takes itself (acknowledge, resolve, start_verification...) or that
the people's check-in answers decide (confirm, dispute, reopen) are not steps here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from remedy.cases import contests, explanations, intake, proceedings, tracks, withdrawal
from remedy.cases.consultations import Consultation
from remedy.cases.triggers import refusal, split
from remedy.core.actors import Actor
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, ProceedingKind
from remedy.models.withdrawal import WithdrawalReason
from remedy.workflows import guards, workflow_for
from remedy.workflows.context import TriggerContext
from remedy.workflows.definition import Guard, Transition

Subject = Grievance | InvolvementTrack

# Inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoInput:
    pass


@dataclass(frozen=True)
class Reason:
    reason: str


@dataclass(frozen=True)
class Consulted:
    """A decision for the people: how a proxy deciding for a group consulted them."""

    consultation: Consultation | None = None


@dataclass(frozen=True)
class ConsultedReason:
    """A decision for the people with its reason, and how a group was consulted."""

    reason: str
    consultation: Consultation | None = None


@dataclass(frozen=True)
class Referral:
    reason: str
    mechanism_id: int | None


@dataclass(frozen=True)
class Question:
    question: str


@dataclass(frozen=True)
class Information:
    information: str


@dataclass(frozen=True)
class ExplanationRequest:
    """What the people want explained, if they said (optional)."""

    question: str = ""


@dataclass(frozen=True)
class Withdrawal:
    """Why the people withdraw, if they said: both optional (``remedy.cases.withdrawal``)."""

    reason: WithdrawalReason | None = None
    note: str | None = None


@dataclass(frozen=True)
class Explanation:
    explanation: str


@dataclass(frozen=True)
class ImpactAssessment:
    impact_assessment: str


@dataclass(frozen=True)
class Classification:
    tracks: list[intake.TrackPlan]
    severity: intake.Severity


@dataclass(frozen=True)
class Proposal:
    actions: list[tracks.RemedyActionPlan]
    leverage: list[tracks.LeveragePlan] = field(default_factory=list)


@dataclass(frozen=True)
class Commitment:
    actions: list[tracks.RemedyActionPlan]


@dataclass(frozen=True)
class Leverage:
    plan: tracks.LeveragePlan


@dataclass(frozen=True)
class Proceedings:
    reason: str
    kind: ProceedingKind | None


# Steps -----------------------------------------------------------------------------------

I = TypeVar("I")  # noqa: E741 - the input type, as in the table below


@dataclass(frozen=True)
class Step(Generic[I]):
    trigger: str
    inputs: type[I]
    perform: Callable[[Actor, Any, I], object]
    # Guards this step's own inputs satisfy (a proposal brings its remedy actions), so the
    # step is offered before those records exist.
    satisfies: frozenset[Guard] = frozenset()

    def run(self, actor: Actor, subject: Subject, given: I) -> object:
        if not isinstance(given, self.inputs):
            raise TypeError(f"{self.trigger} takes {self.inputs.__name__}")
        return self.perform(actor, subject, given)


def _review(uphold: bool) -> Callable[[Actor, Grievance, Reason], object]:
    def perform(actor: Actor, grievance: Grievance, given: Reason) -> object:
        return intake.review(actor, grievance, uphold, given.reason)

    return perform


def _table(*steps: Step[Any]) -> dict[str, Step[Any]]:
    return {step.trigger: step for step in steps}


GRIEVANCE_STEPS: dict[str, Step[Any]] = _table(
    Step("accept", NoInput, lambda a, g, i: intake.accept(a, g)),
    Step("reject", Referral, lambda a, g, i: intake.reject(a, g, i.reason, i.mechanism_id)),
    Step("request_info", Question, lambda a, g, i: intake.request_info(a, g, i.question)),
    Step(
        "info_received",
        Information,
        lambda a, g, i: intake.provide_information(a, g, i.information),
    ),
    Step("classify", Classification, lambda a, g, i: intake.classify(a, g, i.tracks, i.severity)),
    Step(
        "find_no_involvement",
        Referral,
        lambda a, g, i: intake.find_no_involvement(a, g, i.reason, i.mechanism_id),
    ),
    Step("withdraw", Withdrawal, lambda a, g, i: withdrawal.withdraw(a, g, i.reason, i.note)),
    Step("appeal", Reason, lambda a, g, i: intake.appeal(a, g, i.reason)),
    Step("uphold", Reason, _review(True)),
    Step("overturn", Reason, _review(False)),
)

# In the order of the track workflows, so that what is offered reads as they do.
TRACK_STEPS: dict[str, Step[Any]] = _table(
    Step(
        "propose_remedy",
        Proposal,
        lambda a, t, i: tracks.propose_remedy(a, t, i.actions, i.leverage),
        frozenset({guards.has_remedy_actions, guards.has_leverage_plan}),
    ),
    Step(
        "accept_proposal",
        Consulted,
        lambda a, t, i: tracks.accept_proposal(a, t, i.consultation),
    ),
    Step(
        "decline_proposal",
        ConsultedReason,
        lambda a, t, i: tracks.decline_proposal(a, t, i.reason, i.consultation),
    ),
    Step(
        "record_leverage",
        Leverage,
        lambda a, t, i: tracks.record_leverage(a, t, i.plan),
        frozenset({guards.has_leverage_plan}),
    ),
    Step(
        "partner_commits",
        Commitment,
        lambda a, t, i: tracks.partner_commits(a, t, i.actions),
        frozenset({guards.has_remedy_actions}),
    ),
    Step("escalate", Reason, lambda a, t, i: tracks.escalate(a, t, i.reason)),
    Step("refer", Referral, lambda a, t, i: tracks.refer(a, t, i.mechanism_id, i.reason)),
    Step(
        "end_relationship",
        ImpactAssessment,
        lambda a, t, i: tracks.end_relationship(a, t, i.impact_assessment),
    ),
    Step(
        "close_without_confirmation",
        Reason,
        lambda a, t, i: tracks.close_without_confirmation(a, t, i.reason),
    ),
    Step(
        "contest_classification",
        Reason,
        lambda a, t, i: contests.contest_classification(a, t, i.reason),
    ),
    Step(
        "uphold_classification",
        Reason,
        lambda a, t, i: contests.uphold_classification(a, t, i.reason),
    ),
    Step(
        "request_explanation",
        ExplanationRequest,
        lambda a, t, i: explanations.request_explanation(a, t, i.question),
    ),
    Step(
        "give_explanation",
        Explanation,
        lambda a, t, i: explanations.give_explanation(a, t, i.explanation),
    ),
    Step(
        "enter_parallel_proceedings",
        Proceedings,
        lambda a, t, i: proceedings.enter_parallel_proceedings(a, t, i.reason, i.kind),
    ),
    Step(
        "resume_after_proceedings",
        Reason,
        lambda a, t, i: proceedings.resume_after_proceedings(a, t, i.reason),
    ),
)


def steps_for(subject: Subject) -> dict[str, Step[Any]]:
    return TRACK_STEPS if isinstance(subject, InvolvementTrack) else GRIEVANCE_STEPS


def step_for(subject: Subject, trigger: str) -> Step[Any] | None:
    """The step behind ``trigger`` if this subject's workflow has it."""
    step = steps_for(subject).get(trigger)
    if step is None or trigger not in workflow_for(subject).triggers:
        return None
    return step


def offered(
    subject: Subject, actor: Actor, among: Collection[str] | None = None
) -> list[tuple[Transition, Step[Any]]]:
    """The steps (of ``among``, if given) this actor may take now, as ``allowed_transitions``
    decides, except that guards a step's own inputs satisfy are taken as met."""
    workflow = workflow_for(subject)
    grievance, track = split(subject)
    found = []
    for trigger, step in steps_for(subject).items():
        if among is not None and trigger not in among:
            continue
        transition = workflow.choose(trigger, subject)
        if transition is None:
            continue
        given = {name: "given" for name in transition.requires}
        ctx = TriggerContext(workflow, subject, grievance, track, actor, given)
        kept = tuple(guard for guard in transition.guards if guard not in step.satisfies)
        if refusal(ctx, replace(transition, guards=kept)) is None:
            found.append((transition, step))
    return found

"""The workflow steps the API can take: each step's JSON schema, and how its loaded fields
become the step's typed inputs.

Which use case a trigger runs, and which guards its own inputs satisfy, is the services'
one table (:mod:`remedy.cases.steps`), shared with the console. Triggers that Remedy
takes itself or that the people's check-in answers decide are not steps: check-ins are
answered at their own address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema, fields

from remedy.api.record_schemas import CONSULTATION, ConsultationInput, SeverityInput
from remedy.api.schemas import ApiSchema, Enum, between, length, text, texts_by_language
from remedy.cases import intake, steps, tracks
from remedy.cases.consultations import Consultation
from remedy.cases.intake import MAX_TEXT
from remedy.cases.withdrawal import MAX_NOTE
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, ProceedingKind, TrackKind
from remedy.models.leverage_action import LeverageType
from remedy.models.organisation import Organisation
from remedy.models.referral import ReferralMechanism
from remedy.models.remedy_action import ActionOwner, RemedyType
from remedy.models.types import MAX_ROW_ID
from remedy.models.withdrawal import WithdrawalReason
from remedy.workflows.definition import Transition

REFERRAL = {"description": "The id of a mechanism in the referral directory."}
# JSON Schema cannot compare a date with today: the rule is said in words.
DUE_DATE = {"description": "Today or later: a date that has passed is 422."}


# Field schemas ---------------------------------------------------------------------------


class NoFields(ApiSchema):
    pass


class ReasonFields(ApiSchema):
    reason = text(MAX_TEXT, required=True)


class ConsultedFields(ApiSchema):
    consultation = fields.Nested(
        ConsultationInput, load_default=None, allow_none=True, metadata=CONSULTATION
    )


class ConsultedReasonFields(ConsultedFields):
    reason = text(MAX_TEXT, required=True)


class ReferralFields(ApiSchema):
    reason = text(MAX_TEXT, required=True)
    referral = fields.Integer(required=True, validate=between(1, MAX_ROW_ID), metadata=REFERRAL)


class ProceedingsFields(ApiSchema):
    reason = text(MAX_TEXT, required=True)
    proceeding = Enum(ProceedingKind, required=True)


class QuestionFields(ApiSchema):
    question = text(MAX_TEXT, required=True)


class InformationFields(ApiSchema):
    information = text(MAX_TEXT, required=True)


class ExplanationRequestFields(ApiSchema):
    question = text(
        MAX_TEXT,
        load_default="",
        metadata={"description": "What the people want explained (optional)."},
    )


class WithdrawFields(ApiSchema):
    reason = Enum(
        WithdrawalReason,
        load_default=None,
        metadata={
            "description": "Why the people withdraw, if they said (optional). `afraid` "
            "raises the case's reprisal risk to high for the mechanism's protection staff."
        },
    )
    note = text(
        MAX_NOTE,
        load_default=None,
        metadata={
            "description": "What they said about it (optional); kept encrypted, read only "
            "by the mechanism's team."
        },
    )


class ExplanationFields(ApiSchema):
    explanation = text(MAX_TEXT, required=True)


class ImpactFields(ApiSchema):
    impact_assessment = text(MAX_TEXT, required=True)


PeopleTextsInput = texts_by_language("PeopleTextsInput", lambda: text(MAX_TEXT))


def by_language(what: str) -> fields.Nested:
    """The people's words written again per language: each person reads theirs."""
    return fields.Nested(
        PeopleTextsInput,
        load_default=dict,
        metadata={
            "description": f"{what} again in the people's languages, by language code "
            '({"fr": "…"}): each person reads it in theirs on every channel; the others '
            "read it as first written."
        },
    )


class TrackPlanInput(ApiSchema):
    organisation_id = fields.Integer(required=True, validate=between(1, MAX_ROW_ID))
    kind = Enum(TrackKind, required=True)
    rationale = text(MAX_TEXT, required=True)
    explanation = text(
        MAX_TEXT,
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The rationale as the people are told it, in their language, on "
            "every channel; the rationale itself stays with the team. Without it the people "
            "hear only how the organisation is involved."
        },
    )
    explanation_by_language = by_language("The explanation")


class ClassifyFields(ApiSchema):
    tracks = fields.List(
        fields.Nested(TrackPlanInput),
        required=True,
        validate=length(20, 1),
        metadata={"description": "One per organisation: an organisation named twice is 422."},
    )
    severity = fields.Nested(SeverityInput, required=True)


class RemedyActionInput(ApiSchema):
    type = Enum(RemedyType, required=True)
    description = text(MAX_TEXT, required=True)
    owner = Enum(ActionOwner, load_default=ActionOwner.THIS_ORGANISATION)
    due_date = fields.Date(allow_none=True, metadata=DUE_DATE)
    financial = fields.Boolean(load_default=False)
    description_by_language = by_language("The description")


class LeverageInput(ApiSchema):
    type = Enum(LeverageType, required=True)
    target = text(200, required=True)
    description = text(MAX_TEXT, required=True)
    due_date = fields.Date(allow_none=True, metadata=DUE_DATE)


class ProposeFields(ApiSchema):
    actions = fields.List(fields.Nested(RemedyActionInput), load_default=list, validate=length(50))
    leverage = fields.List(fields.Nested(LeverageInput), load_default=list, validate=length(50))


class CommitFields(ApiSchema):
    actions = fields.List(fields.Nested(RemedyActionInput), required=True, validate=length(50, 1))


class LeverageFields(ApiSchema):
    leverage = fields.Nested(LeverageInput, required=True)


# Helpers -------------------------------------------------------------------------------


def _consultation(data: dict[str, Any]) -> Consultation | None:
    given = data.get("consultation")
    return Consultation(**given) if given else None


def _mechanism(mechanism_id: int) -> int:
    mechanism = db.session.get(ReferralMechanism, mechanism_id)
    if mechanism is None or not mechanism.active:
        raise InvalidInput(_("This mechanism is not in the directory."), "referral")
    return mechanism_id


def _plans(items: list[dict[str, Any]]) -> list[intake.TrackPlan]:
    plans = []
    for item in items:
        organisation = db.session.get(Organisation, item["organisation_id"])
        if organisation is None:
            raise InvalidInput(_("There is no organisation with this number."), "tracks")
        plans.append(
            intake.TrackPlan(
                organisation,
                item["kind"],
                item["rationale"],
                item["explanation"],
                item.get("explanation_by_language") or {},
            )
        )
    return plans


def _remedy_plans(items: list[dict[str, Any]]) -> list[tracks.RemedyActionPlan]:
    return [
        tracks.RemedyActionPlan(
            **{key: value for key, value in item.items() if key != "description_by_language"},
            texts=item.get("description_by_language") or {},
        )
        for item in items
    ]


def _leverage_plan(item: dict[str, Any]) -> tracks.LeveragePlan:
    return tracks.LeveragePlan(**item)


# The tables ----------------------------------------------------------------------------

Parse = Callable[[dict[str, Any]], object]

# Each kind of step input: its JSON schema, and how the loaded fields become that input.
FORMATS: dict[type, tuple[type[Schema], Parse]] = {
    steps.NoInput: (NoFields, lambda d: steps.NoInput()),
    steps.Withdrawal: (WithdrawFields, lambda d: steps.Withdrawal(d["reason"], d["note"])),
    steps.Reason: (ReasonFields, lambda d: steps.Reason(d["reason"])),
    steps.Consulted: (ConsultedFields, lambda d: steps.Consulted(_consultation(d))),
    steps.ConsultedReason: (
        ConsultedReasonFields,
        lambda d: steps.ConsultedReason(d["reason"], _consultation(d)),
    ),
    steps.Referral: (
        ReferralFields,
        lambda d: steps.Referral(d["reason"], _mechanism(d["referral"])),
    ),
    steps.Question: (QuestionFields, lambda d: steps.Question(d["question"])),
    steps.Information: (InformationFields, lambda d: steps.Information(d["information"])),
    steps.ImpactAssessment: (
        ImpactFields,
        lambda d: steps.ImpactAssessment(d["impact_assessment"]),
    ),
    steps.ExplanationRequest: (
        ExplanationRequestFields,
        lambda d: steps.ExplanationRequest(d["question"]),
    ),
    steps.Explanation: (ExplanationFields, lambda d: steps.Explanation(d["explanation"])),
    steps.Classification: (
        ClassifyFields,
        lambda d: steps.Classification(_plans(d["tracks"]), intake.Severity(**d["severity"])),
    ),
    steps.Proposal: (
        ProposeFields,
        lambda d: steps.Proposal(
            _remedy_plans(d["actions"]), [_leverage_plan(x) for x in d["leverage"]]
        ),
    ),
    steps.Commitment: (CommitFields, lambda d: steps.Commitment(_remedy_plans(d["actions"]))),
    steps.Leverage: (LeverageFields, lambda d: steps.Leverage(_leverage_plan(d["leverage"]))),
    steps.Proceedings: (
        ProceedingsFields,
        lambda d: steps.Proceedings(d["reason"], d["proceeding"]),
    ),
}

SUMMARIES: dict[str, str] = {
    "accept": "Accept for assessment.",
    "reject": "Reject as not admissible, referring the complainant elsewhere.",
    "request_info": "Ask the complainant for information.",
    "info_received": "Record the information the complainant gave.",
    "classify": "Classify each organisation's involvement; opens one track per organisation.",
    "find_no_involvement": "Find no involvement, referring the complainant elsewhere.",
    "withdraw": "Withdraw the grievance (a proxy with a mandate).",
    "appeal": "Appeal the decision (a proxy with a mandate).",
    "uphold": "Uphold the appealed decision.",
    "overturn": "Overturn the appealed decision.",
    "propose_remedy": (
        "Propose a remedy: these actions (and, for contribute, leverage) are added first."
    ),
    "accept_proposal": (
        "Accept the proposal (a proxy with a mandate); for a group, with how the people "
        "were consulted."
    ),
    "decline_proposal": (
        "Decline the proposal (a proxy with a mandate); for a group, with how the people "
        "were consulted."
    ),
    "refer": "Refer the complainant to another mechanism.",
    "record_leverage": "Record a leverage action toward the business relationship.",
    "partner_commits": "The business partner commits to these remedy actions.",
    "escalate": "Escalate the engagement with the partner.",
    "end_relationship": (
        "End the business relationship, with an assessment of the impacts of ending it."
    ),
    "close_without_confirmation": (
        "Close without the people's confirmation, after the check-in window."
    ),
    "contest_classification": (
        "Contest how the organisation is involved (a proxy with a mandate), with a reason."
    ),
    "uphold_classification": (
        "Uphold a contested classification, with a reason told to the people; a supervisor "
        "of the mechanism who did not classify it. Reclassifying settles it too."
    ),
    "request_explanation": (
        "Ask for an explanation of the automated decision (a proxy with a mandate, or the "
        "team); only on a grievance in the automated_decision category."
    ),
    "give_explanation": (
        "Give the explanation of the automated decision; the people are told it in their language."
    ),
    "enter_parallel_proceedings": (
        "Pause the track while a court, an inspectorate or a National Contact Point acts: "
        "deadlines stop, the track stays open."
    ),
    "resume_after_proceedings": (
        "Resume the track in the state it was paused in; its deadline counts from now."
    ),
}


@dataclass(frozen=True)
class TriggerAction:
    """A step as the API takes it: its schema, summary, and the service call."""

    step: steps.Step[Any]
    schema: type[Schema]
    parse: Parse
    summary: str

    @property
    def trigger(self) -> str:
        return self.step.trigger

    def perform(
        self, actor: Actor, subject: Grievance | InvolvementTrack, data: dict[str, Any]
    ) -> object:
        return self.step.run(actor, subject, self.parse(data))


def _actions(table: dict[str, steps.Step[Any]]) -> dict[str, TriggerAction]:
    return {
        trigger: TriggerAction(step, *FORMATS[step.inputs], SUMMARIES[trigger])
        for trigger, step in table.items()
    }


GRIEVANCE_ACTIONS = _actions(steps.GRIEVANCE_STEPS)
TRACK_ACTIONS = _actions(steps.TRACK_STEPS)


def actions_for(subject: Grievance | InvolvementTrack) -> dict[str, TriggerAction]:
    return TRACK_ACTIONS if isinstance(subject, InvolvementTrack) else GRIEVANCE_ACTIONS


def offered(
    subject: Grievance | InvolvementTrack, actor: Actor
) -> list[tuple[Transition, TriggerAction]]:
    """The steps this actor may take now through the API."""
    actions = actions_for(subject)
    return [
        (transition, actions[step.trigger]) for transition, step in steps.offered(subject, actor)
    ]

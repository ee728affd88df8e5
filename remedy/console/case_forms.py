"""Trigger forms on the case page, built from what each transition declares.

A transition's ``requires`` names its fields; each name maps to a widget (a text
box, a referral chosen from the directory, track plans). A few steps need more than
their declared fields to be useful from a form: severity beside classify, the remedy
actions a proposal or a partner's commitment is made of, the leverage a contributing
organisation plans. Which steps there are, what they run and which guards their own
inputs satisfy is :mod:`remedy.cases.steps`, shared with the API.

Parsing turns the posted fields into the steps' typed inputs and raises
``InvalidInput`` (a clear 400) on anything malformed; the services and ``fire``
decide everything else.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from remedy.cases import intake, people_writing, steps, tracks
from remedy.cases.triggers import split
from remedy.core.actors import Actor
from remedy.core.errors import ConflictError, InvalidInput
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.identity.visibility import may_change
from remedy.messaging.templates import TEMPLATES
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, ProceedingKind, TrackKind
from remedy.models.leverage_action import LeverageType
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.remedy_action import ActionOwner, RemedyType
from remedy.models.types import MAX_ROW_ID
from remedy.workflows import guards
from remedy.workflows.definition import Transition

ROWS = 3  # blank rows for actions and track plans: enough without JavaScript
Subject = Grievance | InvolvementTrack


class Widget(enum.StrEnum):
    TEXT = "text"
    REFERRAL = "referral"
    TRACK_PLANS = "track_plans"
    SEVERITY = "severity"
    REMEDY_ACTIONS = "remedy_actions"
    LEVERAGE_ACTIONS = "leverage_actions"
    LEVERAGE_ACTION = "leverage_action"
    PROCEEDING = "proceeding"
    # The same text again in each language the case's people read (``name-<language>``).
    PEOPLE_TEXT = "people_text"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    widget: Widget
    label: LazyString
    required: bool = True


DECLARED: dict[str, FieldSpec] = {
    "reason": FieldSpec("reason", Widget.TEXT, _l("Reason")),
    "question": FieldSpec("question", Widget.TEXT, _l("Question for the complainant")),
    "information": FieldSpec("information", Widget.TEXT, _l("Information received")),
    "gap": FieldSpec("gap", Widget.TEXT, _l("What is still missing")),
    "impact_assessment": FieldSpec(
        "impact_assessment", Widget.TEXT, _l("Assessment of the impacts of ending it")
    ),
    "explanation": FieldSpec(
        "explanation", Widget.TEXT, _l("Explanation of the decision, for the people")
    ),
    "referral": FieldSpec("referral", Widget.REFERRAL, _l("Refer the complainant to")),
    "tracks": FieldSpec("tracks", Widget.TRACK_PLANS, _l("Organisations involved")),
    "proceeding": FieldSpec("proceeding", Widget.PROCEEDING, _l("Kind of proceeding")),
}
SEVERITY = FieldSpec("severity", Widget.SEVERITY, _l("Severity"))
ACTIONS = FieldSpec("actions", Widget.REMEDY_ACTIONS, _l("Remedy actions"))
OPTIONAL_ACTIONS = replace(ACTIONS, required=False)
LEVERAGE_PLAN = FieldSpec("leverage", Widget.LEVERAGE_ACTIONS, _l("Leverage on the others"))
OPTIONAL_LEVERAGE = replace(LEVERAGE_PLAN, required=False)
LEVERAGE = FieldSpec("leverage", Widget.LEVERAGE_ACTION, _l("Leverage action"))
PEOPLE_REASON = FieldSpec("reason", Widget.PEOPLE_TEXT, _l("Reason"), required=False)
# The people's own steps (through a proxy with a mandate) are not taken from the console.
PEOPLE_STEPS = frozenset(
    {"withdraw", "appeal", "accept_proposal", "decline_proposal", "contest_classification"}
)
CONSOLE_STEPS = frozenset({*steps.GRIEVANCE_STEPS, *steps.TRACK_STEPS} - PEOPLE_STEPS)

SEVERITY_PARTS: dict[str, LazyString] = {
    "scale": _l("Scale"),
    "scope": _l("Scope"),
    "irremediability": _l("Irremediability"),
}
SEVERITY_LEVELS: dict[int, LazyString] = {
    1: _l("1 low"),
    2: _l("2 medium"),
    3: _l("3 high"),
    4: _l("4 very high"),
}
OWNER_LABELS: dict[ActionOwner, LazyString] = {
    ActionOwner.THIS_ORGANISATION: _l("This organisation"),
    ActionOwner.BUSINESS_PARTNER: _l("A business partner"),
    ActionOwner.SHARED: _l("Shared"),
}
CLASSIFIABLE = (OrganisationKind.COMPANY, OrganisationKind.BUSINESS_PARTNER)


def fields_for(transition: Transition, subject: Subject) -> list[FieldSpec]:
    """The declared fields, then what the trigger's form adds."""
    fields = [DECLARED[name] for name in transition.requires if name in DECLARED]
    has_actions = isinstance(subject, InvolvementTrack) and any(
        action.is_active for action in subject.remedy_actions
    )
    has_leverage = isinstance(subject, InvolvementTrack) and bool(subject.leverage_actions)
    step = steps.step_for(subject, transition.trigger)
    inputs = step.inputs if step is not None else None
    if inputs is steps.Classification:
        fields.append(SEVERITY)
    elif inputs in (steps.Proposal, steps.Commitment):
        fields.append(OPTIONAL_ACTIONS if has_actions else ACTIONS)
        if guards.has_leverage_plan in transition.guards:
            fields.append(OPTIONAL_LEVERAGE if has_leverage else LEVERAGE_PLAN)
    elif inputs is steps.Leverage:
        fields.append(LEVERAGE)
    if "reason" in transition.requires and tells_reason(transition):
        fields.append(PEOPLE_REASON)
    return fields


def tells_reason(transition: Transition) -> bool:
    """The step's message tells the people its reason: they read it in their language."""
    return transition.notify is not None and "%(reason)s" in str(TEMPLATES[transition.notify])


def offered(subject: Subject, actor: Actor) -> list[Transition]:
    """What this actor can do now from the console, in the workflow's order."""
    if not may_change(actor):
        return []
    return [transition for transition, _step in steps.offered(subject, actor, CONSOLE_STEPS)]


# Parsing ---------------------------------------------------------------------------------


def _text(form: MultiDict[str, str], name: str) -> str:
    value = (form.get(name) or "").strip()
    if "\x00" in value:  # no database stores it in text, and no person types it
        raise InvalidInput(_("Remove the invisible control characters."), name)
    return value


def choice(enum_class: type[enum.Enum], value: str, field: str) -> Any:
    try:
        return enum_class(value)
    except ValueError:
        raise InvalidInput(_("Choose one of the listed options."), field) from None


def _number(value: str, field: str) -> int:
    if not value.isdigit() or not 0 < int(value) <= MAX_ROW_ID:
        raise InvalidInput(_("Choose one of the listed options."), field)
    return int(value)


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("Give the date as year-month-day."), field) from None


def referral(form: MultiDict[str, str]) -> int | None:
    value = _text(form, "referral")
    return _number(value, "referral") if value else None


def in_languages(form: MultiDict[str, str], name: str) -> dict[str, str]:
    """``name`` written again per language (``name-fr``...): the ones given, by language."""
    given = {language: _text(form, f"{name}-{language}") for language in settings().languages}
    return {language: text for language, text in given.items() if text}


def _with_languages(form: MultiDict[str, str], name: str) -> tuple[str, dict[str, str]]:
    """The text and its versions per language; the first version stands for the text
    when only the versions were written."""
    texts = in_languages(form, name)
    return _text(form, name) or next(iter(texts.values()), ""), texts


def remedy_action(form: MultiDict[str, str], prefix: str) -> tracks.RemedyActionPlan | None:
    """One action row (``prefix`` like ``action-0``); None when its description is blank."""
    description, texts = _with_languages(form, f"{prefix}-description")
    if not description:
        return None
    kind = choice(RemedyType, _text(form, f"{prefix}-type"), f"{prefix}-type")
    return tracks.RemedyActionPlan(
        type=kind,
        description=description,
        owner=choice(ActionOwner, _text(form, f"{prefix}-owner"), f"{prefix}-owner"),
        due_date=_date(_text(form, f"{prefix}-due_date"), f"{prefix}-due_date"),
        financial=form.get(f"{prefix}-financial") == "yes",
        texts=texts,
    )


def remedy_actions(form: MultiDict[str, str]) -> list[tracks.RemedyActionPlan]:
    rows = (remedy_action(form, f"action-{index}") for index in range(ROWS))
    return [row for row in rows if row is not None]


def leverage_action(form: MultiDict[str, str], prefix: str) -> tracks.LeveragePlan | None:
    description = _text(form, f"{prefix}-description")
    target = _text(form, f"{prefix}-target")
    if not description and not target:
        return None
    return tracks.LeveragePlan(
        type=choice(LeverageType, _text(form, f"{prefix}-type"), f"{prefix}-type"),
        target=target,
        description=description,
        due_date=_date(_text(form, f"{prefix}-due_date"), f"{prefix}-due_date"),
    )


def leverage_actions(form: MultiDict[str, str]) -> list[tracks.LeveragePlan]:
    rows = (leverage_action(form, f"leverage-{index}") for index in range(ROWS))
    return [row for row in rows if row is not None]


def classifiable_organisations() -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind.in_(CLASSIFIABLE))
            .order_by(Organisation.name)
        )
    )


def track_plans(form: MultiDict[str, str]) -> list[intake.TrackPlan]:
    plans = []
    for index in range(ROWS):
        prefix = f"track-{index}"
        chosen = _text(form, f"{prefix}-organisation")
        if not chosen:
            continue
        organisation = db.session.get(Organisation, _number(chosen, f"{prefix}-organisation"))
        if organisation is None or organisation.kind not in CLASSIFIABLE:
            raise InvalidInput(_("Choose one of the listed options."), f"{prefix}-organisation")
        kind = choice(TrackKind, _text(form, f"{prefix}-kind"), f"{prefix}-kind")
        rationale = _text(form, f"{prefix}-rationale")
        explanation, explanations = _with_languages(form, f"{prefix}-explanation")
        plans.append(
            intake.TrackPlan(organisation, kind, rationale, explanation or None, explanations)
        )
    return plans


def severity(form: MultiDict[str, str]) -> intake.Severity:
    values = {}
    for part in SEVERITY_PARTS:
        value = _text(form, f"severity-{part}")
        if value not in ("1", "2", "3", "4"):
            raise InvalidInput(
                _("Severity is rated from 1 (low) to 4 (very high)."), f"severity-{part}"
            )
        values[part] = int(value)
    return intake.Severity(**values)


# Performing ------------------------------------------------------------------------------

Parse = Callable[[MultiDict[str, str]], object]


def _one_leverage(form: MultiDict[str, str]) -> tracks.LeveragePlan:
    plan = leverage_action(form, "leverage-0")
    if plan is None:
        raise InvalidInput(_("Describe the leverage action."), "leverage-0-description")
    return plan


def _reason(form: MultiDict[str, str]) -> str:
    return _with_languages(form, "reason")[0]


# How the posted fields become each kind of step input.
PARSERS: dict[type, Parse] = {
    steps.NoInput: lambda form: steps.NoInput(),
    # Offered to the people only (PEOPLE_STEPS): the console never asks why.
    steps.Withdrawal: lambda form: steps.Withdrawal(),
    steps.Reason: lambda form: steps.Reason(_reason(form)),
    # Decisions for the people: the console's staff never take them for a group.
    steps.Consulted: lambda form: steps.Consulted(),
    steps.ConsultedReason: lambda form: steps.ConsultedReason(_text(form, "reason")),
    steps.Referral: lambda form: steps.Referral(_reason(form), referral(form)),
    steps.Question: lambda form: steps.Question(_text(form, "question")),
    steps.Information: lambda form: steps.Information(_text(form, "information")),
    steps.ImpactAssessment: lambda form: steps.ImpactAssessment(_text(form, "impact_assessment")),
    steps.ExplanationRequest: lambda form: steps.ExplanationRequest(_text(form, "question")),
    steps.Explanation: lambda form: steps.Explanation(_text(form, "explanation")),
    steps.Classification: lambda form: steps.Classification(track_plans(form), severity(form)),
    steps.Proposal: lambda form: steps.Proposal(remedy_actions(form), leverage_actions(form)),
    steps.Commitment: lambda form: steps.Commitment(remedy_actions(form)),
    steps.Leverage: lambda form: steps.Leverage(_one_leverage(form)),
    steps.Proceedings: lambda form: steps.Proceedings(
        _reason(form), choice(ProceedingKind, _text(form, "proceeding"), "proceeding")
    ),
}


def check_version(grievance: Grievance, form: MultiDict[str, str]) -> None:
    """The page showed version N; if the case moved on since, nothing is done."""
    shown = _text(form, "version")
    if shown and (not shown.isdigit() or int(shown) != grievance.version):
        raise ConflictError("the grievance changed since the page was shown")


def perform(actor: Actor, subject: Subject, trigger: str, form: MultiDict[str, str]) -> None:
    """Run the service behind ``trigger`` with the posted fields."""
    grievance, _track = split(subject)
    check_version(grievance, form)
    step = steps.step_for(subject, trigger) if trigger in CONSOLE_STEPS else None
    if step is None:
        raise InvalidInput(_("This step does not exist here."), "trigger")
    given = PARSERS[step.inputs](form)
    reasons = in_languages(form, "reason") if hasattr(given, "reason") else {}
    people_writing.decide_in_languages(
        actor, subject, reasons, lambda: step.run(actor, subject, given)
    )

"""One case in the proxy portal, and the actions a member takes on it for the people,
each under the mandate's scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from channels.later_forms import ProxyWithdrawForm, upload_of
from channels.proxy import bp, current_member
from channels.proxy_forms import (
    AcceptForm,
    CheckInForm,
    ConsentCodeForm,
    ConsultationFields,
    DeclineForm,
    ExplainRequestForm,
    FairnessForm,
    IdentityAnswerForm,
    InformationForm,
    RequiredReasonForm,
)
from remedy.cases import (
    check_ins,
    consultations,
    contests,
    explanations,
    identity_consent,
    intake,
    mechanism_feedback,
    representation,
    tracks,
    withdrawal,
)
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.references import display
from remedy.filing import later_files
from remedy.identity.consents import get_consent
from remedy.identity.visibility import may_see_identity
from remedy.models.check_in import Answer
from remedy.models.grievance import Grievance
from remedy.models.group_consultation import ConsultationMethod
from remedy.models.identity_consent import ConsentVia
from remedy.models.mechanism_feedback import FeedbackVia
from remedy.models.types import utcnow
from remedy.proxy import case_view as proxy_case
from remedy.proxy.mandates import MANDATE_STATUS_LABELS, SCOPE_LABELS
from remedy.workflows.definition import MandateScope


def render_case(
    grievance: Grievance, status: int = 200, forms: dict[str, FlaskForm] | None = None
) -> tuple[str, int]:
    actor = current_member()
    view = proxy_case.case_view(actor, grievance)
    return (
        render_template(
            "proxy/case.html",
            view=view,
            reference=display(grievance.reference),
            forms=forms or {},
            show_people=may_see_identity(actor, grievance),
            scope_labels=SCOPE_LABELS,
            status_labels=MANDATE_STATUS_LABELS,
            today=utcnow().date(),
            max_megabytes=later_files.MAX_MEGABYTES,
            # That proof of delivery exists, never the files: see later_files.delivery_proof.
            proof=later_files.delivery_proof(
                [a for check_in in view.check_ins for a in check_in.track.remedy_actions]
            ),
            RequiredReasonForm=RequiredReasonForm,
            InformationForm=InformationForm,
            CheckInForm=CheckInForm,
            AcceptForm=AcceptForm,
            DeclineForm=DeclineForm,
            IdentityAnswerForm=IdentityAnswerForm,
            WithdrawForm=ProxyWithdrawForm,
            ConsentCodeForm=ConsentCodeForm,
            ExplainRequestForm=ExplainRequestForm,
            FairnessForm=FairnessForm,
        ),
        status,
    )


@bp.route("/cases/<reference>")
def case(reference: str) -> tuple[str, int]:
    return render_case(proxy_case.open_case(current_member(), reference))


@dataclass(frozen=True)
class _Action:
    """One action on a case: the service to run once its form is valid, and what to say."""

    run: Callable[[], object]
    done: str
    form: FlaskForm
    form_key: str | None = None
    person: Any = None


CaseView = Callable[..., Response | tuple[str, int]]


def _case_action(rule: str, scope: MandateScope) -> Callable[[Callable[..., _Action]], CaseView]:
    """Route one action on a case: open the case, build the action, run it under the mandate."""

    def register(build: Callable[..., _Action]) -> CaseView:
        @bp.post(rule, endpoint=build.__name__)
        def view(reference: str, **ids: int) -> Response | tuple[str, int]:
            actor = current_member()
            grievance = proxy_case.open_case(actor, reference)
            return _act(grievance, scope, build(actor, grievance, **ids))

        return view

    return register


def _act(grievance: Grievance, scope: MandateScope, action: _Action) -> Response | tuple[str, int]:
    """Run one service; on refusal show the case again with why, and nothing changed."""
    forms = {action.form_key: action.form} if action.form_key else {}
    if not action.form.validate_on_submit():
        flash(_("Please check the form below."), "error")
        return render_case(grievance, 400, forms)
    try:
        action.run()
    except NotAllowed as refusal:
        organisation_id = current_member().organisation_id
        reason = representation.mandate_refusal(organisation_id, grievance, scope, action.person)
        flash(f"{reason or refusal} {_('Nothing was changed.')}", "error")
        return render_case(grievance, 403, forms)
    except InvalidInput as problem:
        flash(f"{problem} {_('Nothing was changed.')}", "error")
        return render_case(grievance, 400, forms)
    flash(action.done, "success")
    return redirect(url_for(".case", reference=grievance.reference))


def _consultation(form: ConsultationFields) -> consultations.Consultation | None:
    """How the people were consulted, if the member said; all of it, or none of it."""
    how, held_on, count = form.consulted_how.data, form.consulted_on.data, form.participants.data
    if not (how or held_on or count):
        return None
    if not how:
        raise InvalidInput(_("Say how the people were consulted."), "consulted_how")
    if held_on is None:
        raise InvalidInput(_("Give the day the people were consulted."), "consulted_on")
    if not count:
        raise InvalidInput(_("Say how many people took part."), "participants")
    return consultations.Consultation(
        ConsultationMethod(how), held_on, count, form.consultation_notes.data or None
    )


@_case_action("/cases/<reference>/tracks/<int:track_id>/accept", MandateScope.ANSWER_PROPOSALS)
def accept(actor: Actor, grievance: Grievance, track_id: int) -> _Action:
    track = proxy_case.case_track(grievance, track_id)
    form = AcceptForm()
    return _Action(
        lambda: tracks.accept_proposal(actor, track, _consultation(form)),
        _("You accepted the proposal for the people."),
        form,
        f"accept-{track_id}",
    )


@_case_action("/cases/<reference>/tracks/<int:track_id>/contest", MandateScope.ANSWER_PROPOSALS)
def contest(actor: Actor, grievance: Grievance, track_id: int) -> _Action:
    track = proxy_case.case_track(grievance, track_id)
    form = RequiredReasonForm()
    return _Action(
        lambda: contests.contest_classification(actor, track, form.reason.data or ""),
        _("You contested how this organisation is involved, for the people."),
        form,
        f"contest-{track_id}",
    )


@_case_action("/cases/<reference>/tracks/<int:track_id>/explain", MandateScope.ANSWER_PROPOSALS)
def explain(actor: Actor, grievance: Grievance, track_id: int) -> _Action:
    track = proxy_case.case_track(grievance, track_id)
    form = ExplainRequestForm()
    return _Action(
        lambda: explanations.request_explanation(actor, track, form.question.data),
        _("You asked for an explanation of the automated decision, for the people."),
        form,
        f"explain-{track_id}",
    )


@_case_action("/cases/<reference>/tracks/<int:track_id>/decline", MandateScope.ANSWER_PROPOSALS)
def decline(actor: Actor, grievance: Grievance, track_id: int) -> _Action:
    track = proxy_case.case_track(grievance, track_id)
    form = DeclineForm()
    return _Action(
        lambda: tracks.decline_proposal(actor, track, form.reason.data or "", _consultation(form)),
        _("You declined the proposal for the people."),
        form,
        f"decline-{track.id}",
    )


@_case_action("/cases/<reference>/check-ins/<int:check_in_id>", MandateScope.ANSWER_CHECK_INS)
def answer(actor: Actor, grievance: Grievance, check_in_id: int) -> _Action:
    check_in = proxy_case.case_check_in(grievance, check_in_id)
    form = CheckInForm()
    return _Action(
        lambda: check_ins.answer_check_in(
            actor,
            check_in,
            Answer(form.answer.data),
            form.comment.data or None,
            consultation=_consultation(form),
        ),
        _("Your answer is recorded."),
        form,
        f"check-in-{check_in.id}",
        person=check_in.person,
    )


@_case_action("/cases/<reference>/identity/<int:consent_id>", identity_consent.CONSENT_SCOPE)
def identity(actor: Actor, grievance: Grievance, consent_id: int) -> _Action:
    """May an organisation the mechanism does not serve know who the people are?"""
    consent = get_consent(grievance, consent_id)
    chosen = request.form.get("answer")
    if chosen not in ("yes", "no"):
        abort(400)
    yes = chosen == "yes"
    name = consent.organisation.name
    done = (
        _(
            "Your answer is recorded: %(organisation)s may know who the people are.",
            organisation=name,
        )
        if yes
        else _(
            "Your answer is recorded: %(organisation)s will see pseudonyms only.",
            organisation=name,
        )
    )
    form = IdentityAnswerForm()
    return _Action(
        lambda: identity_consent.answer(actor, consent, yes, ConsentVia.PROXY, _consultation(form)),
        done,
        form,
        f"identity-{consent_id}",
    )


@_case_action("/cases/<reference>/fairness/<int:person_id>", mechanism_feedback.FAIRNESS_SCOPE)
def fairness(actor: Actor, grievance: Grievance, person_id: int) -> _Action:
    """The case is over: how fair its handling was, as the person told the organisation."""
    person = proxy_case.case_person(grievance, person_id)
    form = FairnessForm()
    return _Action(
        lambda: mechanism_feedback.answer_fairness(
            actor, grievance, form.score.data, form.comment.data, FeedbackVia.PROXY, person_id
        ),
        _("Your answer is recorded."),
        form,
        f"fairness-{person_id}",
        person=person,
    )


@_case_action("/cases/<reference>/information", MandateScope.FOLLOW)
def add_information(actor: Actor, grievance: Grievance) -> _Action:
    form = InformationForm()
    return _Action(
        lambda: later_files.add_information(
            actor, grievance, form.information.data, upload_of(form.attachment)
        ),
        _("The information is added to the case."),
        form,
        "information",
    )


@_case_action("/cases/<reference>/appeal", MandateScope.FOLLOW)
def appeal(actor: Actor, grievance: Grievance) -> _Action:
    form = RequiredReasonForm()
    done = _("The appeal is lodged. Someone who did not take the decision will review it.")
    return _Action(lambda: intake.appeal(actor, grievance, form.reason.data), done, form, "appeal")


@_case_action("/cases/<reference>/withdraw", MandateScope.FOLLOW)
def withdraw(actor: Actor, grievance: Grievance) -> _Action:
    done = _("The grievance is withdrawn.")
    form = ProxyWithdrawForm()

    def run() -> None:
        reason = withdrawal.parse_reason(form.reason.data)
        withdrawal.withdraw(actor, grievance, reason, form.note.data)

    return _Action(run, done, form, "withdraw")

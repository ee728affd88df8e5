"""Public pages of a case opened with its reference and PIN: what is happening, the
answers the team asked for, who speaks for the people, and what the complainant may do
(add information, answer a proposal or a check-in, say whether an organisation may
know who they are, appeal, withdraw; withdrawing a mandate is ``web_mandates``, how
fair the ended case was ``web_fairness``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from channels import web_forms as forms
from channels.later_forms import WithdrawForm, upload_of
from channels.web import bp, find_grievance, offered_track, recall, remember, show_errors, source
from channels.web_filing import receipt_page
from remedy.access.case_access import WAY_IN_MESSAGE, CaseNotFound, TooManyAttempts, open_case
from remedy.cases import complainant_view, contests, intake, involvement, tracks, withdrawal
from remedy.cases import identity_consent as identity
from remedy.cases.check_ins import answer_check_in
from remedy.cases.representation import representatives
from remedy.cases.status import case_status
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, ServiceError
from remedy.core.references import display, normalise
from remedy.filing import later_files
from remedy.models.check_in import Answer
from remedy.models.grievance import Grievance
from remedy.models.identity_consent import ConsentVia
from remedy.workflows.states import IntakeState

FormT = TypeVar("FormT", bound=FlaskForm)

CASE_KEY = "web_case"
# How long the browser keeps a case open without asking for its PIN again.
CASE_MINUTES = 15


def _pin_mark(grievance: Grievance) -> str:
    """Changes with the PIN: a reset PIN closes the case in every browser that had it open."""
    return hashlib.sha256(grievance.pin_hash.encode()).hexdigest()[:16]


def remember_opened(grievance: Grievance) -> None:
    """The case is open in this browser for the next minutes, until its PIN changes."""
    remember(CASE_KEY, {"ref": grievance.reference, "pin": _pin_mark(grievance)})


def _open_case_form(purpose: str) -> Response | tuple[str, int] | str:
    form = forms.OpenCaseForm()
    status = 200
    if request.method == "GET" and request.args.get("reference"):
        form.reference.data = request.args["reference"]
    if form.validate_on_submit():
        try:
            grievance = open_case(form.reference.data, form.pin.data, source())
        except CaseNotFound as error:
            form.pin.errors = [str(error)]
            status = 400
        except TooManyAttempts as error:
            form.pin.errors = [str(error)]
            status = 429
        else:
            remember_opened(grievance)
            target = "web.answer_list" if purpose == "answer" else "web.case"
            return redirect(url_for(target, reference=grievance.reference))
    elif form.errors:
        status = 400
    page = render_template("web/open_case.html", form=form, purpose=purpose, way_in=WAY_IN_MESSAGE)
    return page, status


@bp.route("/case", methods=["GET", "POST"])
def open_case_page() -> Response | tuple[str, int] | str:
    return _open_case_form("check")


@bp.route("/answer", methods=["GET", "POST"])
def answer_start() -> Response | tuple[str, int] | str:
    return _open_case_form("answer")


def _opened(reference: str) -> Grievance | None:
    """The case opened in this browser with its PIN in the last minutes, or None."""
    entry = recall(CASE_KEY, CASE_MINUTES)
    if entry is None or entry.get("ref") != normalise(reference):
        return None
    grievance = find_grievance(entry["ref"])
    if grievance is None or entry.get("pin") != _pin_mark(grievance):
        return None
    remember(CASE_KEY, entry)
    return grievance


def case_view(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages of a case opened with its PIN; anyone else is asked for the PIN again."""

    def wrapper(reference: str, **kwargs: Any) -> Any:
        grievance = _opened(reference)
        if grievance is None:
            session.pop(CASE_KEY, None)
            flash(_("Please give your case number and PIN again."), "info")
            return redirect(url_for("web.open_case_page", reference=normalise(reference)))
        return view(grievance, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _case_url(grievance: Grievance, endpoint: str = "web.case", **values: Any) -> str:
    return url_for(endpoint, reference=grievance.reference, **values)


@bp.route("/case/<reference>")
@case_view
def case(grievance: Grievance) -> str:
    actor = complainant_view.complainant_of(grievance)
    actions = complainant_view.case_actions(grievance, actor)
    return render_template(
        "web/case.html",
        grievance=grievance,
        reference=display(grievance.reference),
        status=case_status(grievance),
        actions=complainant_view.case_actions(grievance, actor),
        contestable={track.id for track in actions.contestable},
        explainable={track.id for track in actions.explainable},
        steps=complainant_view.steps(grievance),
        messages=complainant_view.messages(grievance),
        speaking=representatives(grievance),
        close_form=forms.ConfirmForm(),
    )


@bp.route("/case/<reference>/answer")
@case_view
def answer_list(grievance: Grievance) -> str:
    actor = complainant_view.complainant_of(grievance)
    return render_template(
        "web/answer.html",
        grievance=grievance,
        reference=display(grievance.reference),
        actions=complainant_view.case_actions(grievance, actor),
    )


@bp.route("/case/<reference>/receipt")
@case_view
def case_receipt(grievance: Grievance) -> str:
    return receipt_page(grievance, None, back=url_for("web.case", reference=grievance.reference))


@bp.route("/case/<reference>/close", methods=["POST"])
def close_case(reference: str) -> Response:
    """Forget the case in this browser (a shared phone)."""
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        session.pop(CASE_KEY, None)
        flash(_("Your case is closed in this browser. Your PIN opens it again."), "success")
    return redirect(url_for("web.home"))


def _act(
    grievance: Grievance,
    form: FlaskForm,
    action: Callable[[], Any],
    done: str,
    default_field: str | None,
) -> Response | None:
    """Run one service for the complainant; its refusal is shown on the form, never a 500."""
    if not form.validate_on_submit():
        return None
    try:
        action()
    except InvalidInput as error:
        show_errors(form, error, default_field)
        return None
    except ServiceError as error:  # NotAllowed, a conflict: said on the page, never a 500
        form.form_errors.append(str(error))
        return None
    flash(done, "success")
    return redirect(_case_url(grievance))


def case_form(
    grievance: Grievance,
    allowed: str | None,
    make_form: Callable[[], FormT],
    service: Callable[[Actor, FormT], object],
    done: str,
    default_field: str | None,
    template: str,
    **context: Any,
) -> Response | tuple[str, int]:
    """One form of the case: not found unless the complainant may do `allowed` now; once
    the service ran, back to the case; else the page again, with what went wrong."""
    actor = complainant_view.complainant_of(grievance)
    if allowed is not None and not getattr(
        complainant_view.case_actions(grievance, actor), allowed
    ):
        abort(404)
    form = make_form()
    result = _act(grievance, form, lambda: service(actor, form), done, default_field)
    if result is not None:
        return result
    page = render_template(
        template, form=form, grievance=grievance, reference=display(grievance.reference), **context
    )
    return page, 400 if form.errors else 200


@bp.route("/case/<reference>/information", methods=["GET", "POST"])
@case_view
def add_information(grievance: Grievance) -> Response | tuple[str, int]:
    return case_form(
        grievance,
        "add_information",
        forms.InformationForm,
        lambda actor, form: later_files.add_information(
            actor, grievance, form.information.data, upload_of(form.attachment)
        ),
        _("Thank you. We added your information to the case."),
        "information",
        "web/information.html",
        asked=grievance.state == IntakeState.AWAITING_COMPLAINANT,
        max_megabytes=later_files.MAX_MEGABYTES,
    )


def _proposal_or_404(grievance: Grievance, track_id: int) -> complainant_view.Proposal:
    actor = complainant_view.complainant_of(grievance)
    proposal = complainant_view.find_proposal(grievance, actor, track_id)
    if proposal is None:
        abort(404)
    return proposal


@bp.route("/case/<reference>/proposal/<int:track_id>", methods=["GET", "POST"])
@case_view
def proposal(grievance: Grievance, track_id: int) -> Response | tuple[str, int]:
    """A remedy proposed: accept it, or decline it with a reason."""
    found = _proposal_or_404(grievance, track_id)
    actor = complainant_view.complainant_of(grievance)
    accept_form = forms.ConfirmForm(prefix="accept")
    decline_form = forms.DeclineForm(prefix="decline")
    done: Response | None = None
    if request.method == "POST" and request.form.get("decision") == "accept":
        done = _act(
            grievance,
            accept_form,
            lambda: tracks.accept_proposal(actor, found.track),
            _("You accepted the remedy. We will tell you when it is done."),
            None,
        )
    elif request.method == "POST":
        done = _act(
            grievance,
            decline_form,
            lambda: tracks.decline_proposal(actor, found.track, decline_form.reason.data),
            _("You declined the remedy. We will talk with you about a better one."),
            "reason",
        )
    if done is not None:
        return done
    errors = bool(accept_form.errors or decline_form.errors)
    page = render_template(
        "web/proposal.html",
        grievance=grievance,
        reference=display(grievance.reference),
        proposal=found,
        accept_form=accept_form,
        decline_form=decline_form,
    )
    return page, 400 if errors else 200


@bp.route("/case/<reference>/question/<int:check_in_id>", methods=["GET", "POST"])
@case_view
def question(grievance: Grievance, check_in_id: int) -> Response | tuple[str, int]:
    """Was the remedy delivered? Yes, partly or no: the people decide."""
    check_in = complainant_view.find_question(grievance, check_in_id)
    if check_in is None:
        abort(404)
    return case_form(
        grievance,
        None,
        forms.CheckInForm,
        lambda actor, form: answer_check_in(
            actor, check_in, Answer(form.answer.data), form.comment.data or None
        ),
        _("Thank you for your answer."),
        "answer",
        "web/question.html",
        check_in=check_in,
        actions=[a for a in check_in.track.remedy_actions if a.is_active],
        # That proof exists, never the files: see later_files.delivery_proof.
        proof=later_files.delivery_proof(check_in.track.remedy_actions),
    )


@bp.post("/case/<reference>/identity/<int:consent_id>")
@case_view
def identity_consent(grievance: Grievance, consent_id: int) -> Response:
    """May this organisation know who you are? Two buttons, yes or no, no script needed."""
    actor = complainant_view.complainant_of(grievance)
    pending = complainant_view.case_actions(grievance, actor).consents
    consent = next((c for c in pending if c.id == consent_id), None)
    chosen = request.form.get("answer")
    if consent is None or chosen not in ("yes", "no"):
        abort(404 if consent is None else 400)
    form = forms.ConfirmForm()
    yes = chosen == "yes"
    done = (
        _(
            "Thank you. %(organisation)s may now know who you are.",
            organisation=consent.organisation.name,
        )
        if yes
        else _(
            "Thank you. %(organisation)s will not know who you are.",
            organisation=consent.organisation.name,
        )
    )

    def answer() -> object:
        return identity.answer(actor, consent, yes, ConsentVia.WEB)

    result = _act(grievance, form, answer, done, None)
    if result is None:
        flash(_("Please try again."), "error")
        return redirect(_case_url(grievance))
    return result


@bp.route("/case/<reference>/appeal", methods=["GET", "POST"])
@case_view
def appeal(grievance: Grievance) -> Response | tuple[str, int]:
    return case_form(
        grievance,
        "appeal",
        forms.AppealForm,
        lambda actor, form: intake.appeal(actor, grievance, form.reason.data),
        _("We received your appeal. Someone who did not take the decision will review it."),
        "reason",
        "web/appeal.html",
    )


@bp.route("/case/<reference>/contest/<int:track_id>", methods=["GET", "POST"])
@case_view
def contest(grievance: Grievance, track_id: int) -> Response | tuple[str, int]:
    """Disagree with how one organisation is involved: a supervisor who did not decide
    it reviews it."""
    actor = complainant_view.complainant_of(grievance)
    track = offered_track(complainant_view.contestable(grievance, actor), track_id)
    return case_form(
        grievance,
        None,
        forms.ContestForm,
        lambda actor, form: contests.contest_classification(actor, track, form.reason.data),
        _("We received your disagreement. Someone who did not decide it will review it."),
        "reason",
        "web/contest.html",
        involvement=involvement.sentence(track),
    )


@bp.route("/case/<reference>/withdraw", methods=["GET", "POST"])
@case_view
def withdraw(grievance: Grievance) -> Response | tuple[str, int]:
    return case_form(
        grievance,
        "withdraw",
        WithdrawForm,
        lambda actor, form: withdrawal.withdraw(
            actor, grievance, withdrawal.parse_reason(form.reason.data), form.note.data
        ),
        _("Your case is withdrawn. You can tell us about a problem again at any time."),
        None,
        "web/withdraw.html",
    )

"""The public web channel: light pages for affected people, in every shipped language.

Three things a person can do without an account: tell us what happened (one question
per page, the answers kept in a server-side draft between pages), check their case
with the reference and PIN, and answer what the team asked them. A lost PIN is
replaced through the phone number on file. Every page works without JavaScript.

Views stay thin: they check the shape of the input, call one service, and render.
The session cookie carries no personal data: a random draft token, the reference of
a case opened with its PIN (for 15 minutes), and the new PIN for the minutes after
filing, encrypted.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from channels import web_forms as forms
from remedy.access import pin_reset
from remedy.access.case_access import CaseNotFound, TooManyAttempts, open_case
from remedy.cases import complainant_view, intake, tracks
from remedy.cases.check_ins import answer_check_in
from remedy.cases.status import case_status
from remedy.core.actors import Actor
from remedy.core.crypto import DecryptionError
from remedy.core.errors import InvalidInput, ServiceError
from remedy.core.extensions import db
from remedy.core.i18n import current_language
from remedy.core.references import display, is_valid, normalise
from remedy.filing import drafts, receipts
from remedy.models.check_in import Answer
from remedy.models.grievance import CATEGORY_TITLES, Category, Grievance
from remedy.models.types import keyring

bp = Blueprint("web", __name__, template_folder="templates")
FormT = TypeVar("FormT", bound=FlaskForm)
ResultT = TypeVar("ResultT")

DRAFT_KEY = "web_draft"
FILED_KEY = "web_filed"
CASE_KEY = "web_case"
RESET_KEY = "web_pin_reset"
# How long the browser keeps what it needs without asking again.
CASE_MINUTES = 15
FILED_MINUTES = 15
RESET_MINUTES = 15
PIN_CONTEXT = "web.session.pin"


def _now() -> int:
    return int(time.time())


def _source() -> str:
    """Who asks, for the per-source limits on PIN look-ups (an address, never stored)."""
    return f"web:{request.remote_addr or 'unknown'}"


def _fresh(entry: Any, minutes: int) -> dict[str, Any] | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("at"), int):
        return None
    if _now() - entry["at"] > minutes * 60:
        return None
    return entry


def _show_errors(form: FlaskForm, error: InvalidInput, default: str | None) -> None:
    """A service's refusal, shown beside the field it names, else the default field, else
    at the top of the form."""
    for name in (error.field, default):
        if name and name != "csrf_token" and name in form:
            field = getattr(form, name)
            field.errors = [*field.errors, str(error)]
            return
    form.form_errors.append(str(error))


# Home ---------------------------------------------------------------------------------


@bp.route("/")
def home() -> str:
    return render_template("web/home.html")


# Filing, one question per page ----------------------------------------------------------


@dataclass(frozen=True)
class Step:
    name: str
    form: type[FlaskForm]
    title: Any
    # Answers the step stores, and whether the review needs them before filing.
    keys: tuple[str, ...]
    required: bool = True


STEPS = (
    Step("what", forms.WhatForm, _l("What happened?"), ("description",)),
    Step("category", forms.CategoryForm, _l("What is it about?"), ("category",)),
    Step("where", forms.WhereForm, _l("Where did it happen?"), ("location",), False),
    Step("when", forms.WhenForm, _l("When did it happen?"), ("harm_date",), False),
    Step("who", forms.WhoForm, _l("Who is affected?"), ("affected", "people_affected")),
    Step(
        "identity",
        forms.IdentityForm,
        _l("May the company know who you are?"),
        ("identity", "name"),
    ),
    Step("contact", forms.ContactForm, _l("How may we contact you?"), ("contact", "phone")),
    Step(
        "safety",
        forms.SafetyForm,
        _l("Are you afraid someone will harm you because you complain?"),
        ("reprisal",),
    ),
)
STEP_NAMES = [step.name for step in STEPS]
BY_NAME = {step.name: step for step in STEPS}


def _draft() -> drafts.Draft | None:
    return drafts.load_draft(session.get(DRAFT_KEY))


def _first_missing(draft: drafts.Draft | None) -> str | None:
    """The first step not answered yet (optional steps count once seen)."""
    answers = draft.answers if draft else {}
    for step in STEPS:
        if step.keys[0] not in answers:
            return step.name
    return None


def _step_url(name: str, from_review: bool = False) -> str:
    values: dict[str, Any] = {"from": "review"} if from_review else {}
    return url_for("web.file_step", step=name, **values)


def _next_url(step: Step, from_review: bool) -> str:
    index = STEP_NAMES.index(step.name)
    if from_review or index + 1 == len(STEPS):
        return url_for("web.review")
    return _step_url(STEP_NAMES[index + 1])


def _back_url(step: Step, from_review: bool) -> str:
    index = STEP_NAMES.index(step.name)
    if from_review:
        return url_for("web.review")
    return _step_url(STEP_NAMES[index - 1]) if index else url_for("web.home")


def _answers_of(step: Step, form: FlaskForm) -> dict[str, Any]:
    values = {}
    for key in step.keys:
        value = getattr(form, key).data
        if isinstance(value, str):
            value = value.strip() or None
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        values[key] = value
    return values


def _prefill(step: Step, draft: drafts.Draft | None) -> dict[str, Any]:
    answers = draft.answers if draft else {}
    return {key: answers[key] for key in step.keys if answers.get(key) is not None}


@bp.route("/file")
def file_start() -> Response:
    return redirect(_step_url(_first_missing(_draft()) or STEP_NAMES[0]))


@bp.route("/file/<step>", methods=["GET", "POST"])
def file_step(step: str) -> Response | tuple[str, int] | str:
    current = BY_NAME.get(step)
    if current is None:
        abort(404)
    draft = _draft()
    missing = _first_missing(draft)
    index = STEP_NAMES.index(step)
    if missing is not None and STEP_NAMES.index(missing) < index:
        # Steps are taken in order: someone who skipped ahead (or whose draft expired)
        # goes back to the first question not answered.
        return redirect(_step_url(missing))
    from_review = request.args.get("from") == "review" and missing is None
    form = current.form(data=_prefill(current, draft))
    if form.validate_on_submit():
        try:
            draft = _save_step(current, form, draft)
        except InvalidInput as error:
            _show_errors(form, error, current.keys[0])
        else:
            return redirect(_next_url(current, from_review))
    status = 400 if form.errors else 200
    page = render_template(
        "web/file_step.html",
        step=current,
        number=index + 1,
        total=len(STEPS) + 1,
        form=form,
        draft=draft,
        back_url=_back_url(current, from_review),
        action=_step_url(current.name, from_review),
        categories=list(CATEGORY_TITLES.items()),
    )
    return page, status


def _save_step(step: Step, form: FlaskForm, draft: drafts.Draft | None) -> drafts.Draft:
    if draft is None:
        token, draft = drafts.start_draft()
        session[DRAFT_KEY] = token
    if step.name == "what":
        upload = form.attachment.data
        if form.remove_attachment.data:
            drafts.remove_file(draft)
        elif upload is not None and upload.filename:
            drafts.attach_file(draft, upload.filename, upload.read())
    drafts.save_answers(draft, **_answers_of(step, form))
    return draft


@bp.route("/file/review", methods=["GET", "POST"])
def review() -> Response | tuple[str, int] | str:
    draft = _draft()
    missing = _first_missing(draft)
    if draft is None or missing is not None:
        return redirect(_step_url(missing or STEP_NAMES[0]))
    form = forms.ConfirmForm()
    error_step = None
    if form.validate_on_submit():
        try:
            submitted = drafts.file_draft(draft, current_language())
        except InvalidInput as error:
            error_step = _step_of_field(error.field)
            flash(str(error), "error")
        else:
            session.pop(DRAFT_KEY, None)
            _remember_filing(submitted.grievance, submitted.pin)
            return redirect(url_for("web.filed"))
    page = render_template(
        "web/review.html",
        form=form,
        answers=draft.answers,
        draft=draft,
        steps=STEPS,
        error_step=error_step,
        categories=dict(CATEGORY_TITLES),
        choices=_choice_labels(),
    )
    return page, 400 if error_step or form.errors else 200


def _step_of_field(field: str | None) -> str:
    for step in STEPS:
        if field in step.keys:
            return step.name
    return STEP_NAMES[0]


def _choice_labels() -> dict[str, dict[str, Any]]:
    return {
        "affected": dict(forms.AFFECTED_CHOICES),
        "identity": dict(forms.IDENTITY_CHOICES),
        "contact": dict(forms.CONTACT_CHOICES),
        "reprisal": dict(forms.REPRISAL_CHOICES),
    }


def _seal_pin(pin: str) -> str:
    return base64.urlsafe_b64encode(keyring().encrypt(pin.encode(), PIN_CONTEXT)).decode()


def _unseal_pin(sealed: str) -> str | None:
    try:
        return keyring().decrypt(base64.urlsafe_b64decode(sealed), PIN_CONTEXT).decode()
    except (ValueError, DecryptionError):
        return None


def _remember_filing(grievance: Grievance, pin: str) -> None:
    """For the next minutes only: the result page, its reload, and the receipt."""
    session[FILED_KEY] = {"ref": grievance.reference, "pin": _seal_pin(pin), "at": _now()}


def _just_filed() -> tuple[Grievance, str] | None:
    entry = _fresh(session.get(FILED_KEY), FILED_MINUTES)
    if entry is None:
        session.pop(FILED_KEY, None)
        return None
    grievance = _grievance(str(entry.get("ref", "")))
    pin = _unseal_pin(str(entry.get("pin", "")))
    if grievance is None or pin is None:
        return None
    return grievance, pin


def _grievance(reference: str) -> Grievance | None:
    if not is_valid(reference):
        return None
    return db.session.scalars(
        db.select(Grievance).where(Grievance.reference == reference)
    ).one_or_none()


@bp.route("/file/done")
def filed() -> Response | str:
    found = _just_filed()
    if found is None:
        return redirect(url_for("web.open_case_page"))
    grievance, pin = found
    return render_template(
        "web/filed.html",
        grievance=grievance,
        reference=display(grievance.reference),
        pin=f"{pin[:3]} {pin[3:]}",
        receipt=receipts.receipt_for(grievance),
        status=case_status(grievance),
    )


@bp.route("/file/receipt")
def filed_receipt() -> Response | str:
    found = _just_filed()
    if found is None:
        return redirect(url_for("web.open_case_page"))
    grievance, pin = found
    return _receipt_page(grievance, pin if request.args.get("pin") == "yes" else None)


def _receipt_page(grievance: Grievance, pin: str | None) -> str:
    return render_template(
        "web/receipt.html",
        grievance=grievance,
        reference=display(grievance.reference),
        receipt=receipts.receipt_for(grievance),
        pin=f"{pin[:3]} {pin[3:]}" if pin else None,
    )


# Check my case ---------------------------------------------------------------------------


def _pin_mark(grievance: Grievance) -> str:
    """Changes with the PIN: a reset PIN closes the case in every browser that had it open."""
    return hashlib.sha256(grievance.pin_hash.encode()).hexdigest()[:16]


def _open_case_form(purpose: str) -> Response | tuple[str, int] | str:
    form = forms.OpenCaseForm()
    status = 200
    if request.method == "GET" and request.args.get("reference"):
        form.reference.data = request.args["reference"]
    if form.validate_on_submit():
        try:
            grievance = open_case(form.reference.data, form.pin.data, _source())
        except CaseNotFound as error:
            form.pin.errors = [str(error)]
            status = 400
        except TooManyAttempts as error:
            form.pin.errors = [str(error)]
            status = 429
        else:
            session[CASE_KEY] = {
                "ref": grievance.reference,
                "at": _now(),
                "pin": _pin_mark(grievance),
            }
            target = "web.answer_list" if purpose == "answer" else "web.case"
            return redirect(url_for(target, reference=grievance.reference))
    elif form.errors:
        status = 400
    return render_template("web/open_case.html", form=form, purpose=purpose), status


@bp.route("/case", methods=["GET", "POST"])
def open_case_page() -> Response | tuple[str, int] | str:
    return _open_case_form("check")


@bp.route("/answer", methods=["GET", "POST"])
def answer_start() -> Response | tuple[str, int] | str:
    return _open_case_form("answer")


def _opened(reference: str) -> Grievance | None:
    """The case opened in this browser with its PIN in the last minutes, or None."""
    entry = _fresh(session.get(CASE_KEY), CASE_MINUTES)
    if entry is None or entry.get("ref") != normalise(reference):
        return None
    grievance = _grievance(entry["ref"])
    if grievance is None or entry.get("pin") != _pin_mark(grievance):
        return None
    entry["at"] = _now()
    session[CASE_KEY] = entry
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
    return render_template(
        "web/case.html",
        grievance=grievance,
        reference=display(grievance.reference),
        status=case_status(grievance),
        actions=complainant_view.case_actions(grievance, actor),
        steps=complainant_view.steps(grievance),
        messages=complainant_view.messages(grievance),
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
    return _receipt_page(grievance, None)


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
        _show_errors(form, error, default_field)
        return None
    except ServiceError as error:  # NotAllowed, a conflict: said on the page, never a 500
        form.form_errors.append(str(error))
        return None
    flash(done, "success")
    return redirect(_case_url(grievance))


def _case_form(
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
    return _case_form(
        grievance,
        "add_information",
        forms.InformationForm,
        lambda actor, form: intake.provide_information(actor, grievance, form.information.data),
        _("Thank you. We added your information to the case."),
        "information",
        "web/information.html",
        asked=grievance.state == "awaiting_complainant",
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
    return _case_form(
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
    )


@bp.route("/case/<reference>/appeal", methods=["GET", "POST"])
@case_view
def appeal(grievance: Grievance) -> Response | tuple[str, int]:
    return _case_form(
        grievance,
        "appeal",
        forms.AppealForm,
        lambda actor, form: intake.appeal(actor, grievance, form.reason.data),
        _("We received your appeal. Someone who did not take the decision will review it."),
        "reason",
        "web/appeal.html",
    )


@bp.route("/case/<reference>/withdraw", methods=["GET", "POST"])
@case_view
def withdraw(grievance: Grievance) -> Response | tuple[str, int]:
    return _case_form(
        grievance,
        "withdraw",
        forms.ConfirmForm,
        lambda actor, _form: intake.withdraw(actor, grievance),
        _("Your case is withdrawn. You can tell us about a problem again at any time."),
        None,
        "web/withdraw.html",
    )


# A lost PIN ----------------------------------------------------------------------------


def _pin_reset_step(
    form: FormT,
    field: str,
    service: Callable[[FormT], ResultT],
    then: Callable[[FormT, ResultT], Response | tuple[str, int]],
    template: str,
) -> Response | tuple[str, int]:
    """One step of a lost PIN: the service's refusal is shown beside `field`, too many
    tries with 429; once it ran, `then` answers."""
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            result = service(form)
        except TooManyAttempts as error:
            getattr(form, field).errors = [str(error)]
            status = 429
        except InvalidInput as error:
            getattr(form, field).errors = [str(error)]
        else:
            return then(form, result)
    return render_template(template, form=form), status if form.errors else 200


def _code_sent(form: forms.PinResetForm, _sent: object) -> Response:
    session[RESET_KEY] = {"ref": normalise(form.reference.data), "at": _now()}
    return redirect(url_for("web.pin_reset_code"))


@bp.route("/pin-reset", methods=["GET", "POST"])
def pin_reset_start() -> Response | tuple[str, int]:
    return _pin_reset_step(
        forms.PinResetForm(),
        "phone",
        lambda form: pin_reset.request_code(form.reference.data, form.phone.data, _source()),
        _code_sent,
        "web/pin_reset.html",
    )


def _new_pin_page(_form: FlaskForm, reset: tuple[Grievance, str]) -> tuple[str, int]:
    grievance, pin = reset
    session.pop(RESET_KEY, None)
    session.pop(CASE_KEY, None)
    page = render_template(
        "web/pin_reset_done.html",
        reference=display(grievance.reference),
        pin=f"{pin[:3]} {pin[3:]}",
    )
    return page, 200


@bp.route("/pin-reset/code", methods=["GET", "POST"])
def pin_reset_code() -> Response | tuple[str, int]:
    entry = _fresh(session.get(RESET_KEY), RESET_MINUTES)
    if entry is None:
        return redirect(url_for("web.pin_reset_start"))
    return _pin_reset_step(
        forms.ResetCodeForm(),
        "code",
        lambda form: pin_reset.use_code(str(entry["ref"]), form.code.data, _source()),
        _new_pin_page,
        "web/pin_reset_code.html",
    )


def _date(value: date | datetime | str | None) -> str:
    """A day in the reader's language; ISO strings (draft answers) too."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return str(format_date(value, "long"))


def _datetime(value: datetime) -> str:
    return str(format_datetime(value, "long"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(_date, "web_date")
    app.add_template_filter(_datetime, "web_datetime")
    app.add_template_global(Category, "Category")

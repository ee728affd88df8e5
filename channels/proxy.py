"""The proxy portal: members of vetted NGOs file for the people who gave them a mandate,
follow those cases, and answer for them while the mandate is in force.

Views parse forms, call one service and render. Every action goes through the same
services (and the workflow's mandate guard) as the people's own channels; when the guard
refuses, the page says why in words the member can act on, and nothing changes. Members
sign in with password and second factor through the shared sign-in pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.wrappers import Response
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from remedy.cases import check_ins, intake, representation, tracks
from remedy.core.actors import Actor
from remedy.core.config import LANGUAGES
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import login_manager
from remedy.core.i18n import current_language
from remedy.core.references import display
from remedy.filing.grievances import (
    MAX_DESCRIPTION_LENGTH,
    MAX_LOCATION_LENGTH,
    PersonDetails,
)
from remedy.identity.visibility import may_see_identity
from remedy.models.check_in import Answer
from remedy.models.grievance import CATEGORY_TITLES, Category, Grievance, ReprisalRisk
from remedy.models.mandate import CONSENT_METHOD_LABELS, ConsentMethod
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.proxy import cases as proxy_cases
from remedy.proxy import mandates
from remedy.proxy.cases import (
    RECIPIENT_LABELS,
    SCOPE_LABELS,
    MandateTerms,
    MessageRecipients,
    ProxyFiling,
)
from remedy.workflows.definition import MandateScope

bp = Blueprint("proxy", __name__, url_prefix="/proxy", template_folder="templates")

YES_NO = [
    SelectChoice("no", _l("No, keep their names from the company")),
    SelectChoice("yes", _l("Yes")),
]
REPRISAL_CHOICES = [
    SelectChoice(ReprisalRisk.NONE.value, _l("No")),
    SelectChoice(ReprisalRisk.LOW.value, _l("Perhaps, a little")),
    SelectChoice(ReprisalRisk.HIGH.value, _l("Yes, they are afraid")),
]
ANSWER_CHOICES = [
    SelectChoice(Answer.YES.value, _l("Yes, it was delivered")),
    SelectChoice(Answer.PARTLY.value, _l("Partly")),
    SelectChoice(Answer.NO.value, _l("No, it was not delivered")),
]
MAX_REASON = 5000


def _choices(labels: dict[Any, Any]) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _evidence(form: FlaskForm) -> mandates.Evidence | None:
    upload = form.evidence.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    return mandates.Evidence(upload.filename, upload.read())


class MandateFields(FlaskForm):
    """What the people agreed to; shared by filing and recording a further mandate."""

    scopes = SelectMultipleField(
        _l("What may your organisation do for them?"),
        choices=_choices(SCOPE_LABELS),
        validators=[DataRequired(message=_l("Choose what the mandate allows."))],
    )
    consent_method = RadioField(
        _l("How did they give their consent?"),
        choices=_choices(CONSENT_METHOD_LABELS),
        validators=[InputRequired(message=_l("Choose how consent was given."))],
    )
    valid_until = DateField(
        _l("The mandate is valid until"),
        validators=[InputRequired(message=_l("Give the last day of the mandate."))],
    )
    consent_note = StringField(
        _l("Witness or other details (optional)"), validators=[Optional(), Length(max=1000)]
    )
    evidence = FileField(_l("Consent evidence (optional)"))


class FileForm(MandateFields):
    for_whom = RadioField(
        _l("Who are you filing for?"),
        choices=[
            SelectChoice("person", _l("One person")),
            SelectChoice("group", _l("A group of people")),
        ],
        validators=[InputRequired(message=_l("Choose one person or a group."))],
    )
    name = StringField(_l("Their name (optional)"), validators=[Optional(), Length(max=200)])
    phone = StringField(
        _l("Their phone number (optional)"),
        validators=[Optional(), Length(max=40)],
        render_kw={"type": "tel", "autocomplete": "off"},
    )
    people = TextAreaField(
        _l("The people in the group (optional)"), validators=[Optional(), Length(max=50_000)]
    )
    people_affected = IntegerField(_l("How many people are affected?"), validators=[Optional()])
    language = SelectField(
        _l("Their language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()],
    )
    description = TextAreaField(
        _l("What happened?"),
        validators=[
            DataRequired(message=_l("Tell us what happened.")),
            Length(max=MAX_DESCRIPTION_LENGTH),
        ],
    )
    category = SelectField(
        _l("What is it about? (optional)"),
        choices=[SelectChoice("", _l("Choose if you know")), *_choices(CATEGORY_TITLES)],
        validators=[Optional()],
    )
    location = StringField(
        _l("Where did it happen? (optional)"),
        validators=[Optional(), Length(max=MAX_LOCATION_LENGTH)],
    )
    harm_date = DateField(_l("When did it happen? (optional)"), validators=[Optional()])
    identity = RadioField(
        _l("May the company know who they are?"),
        choices=YES_NO,
        validators=[InputRequired(message=_l("Choose whether the company may know them."))],
    )
    reprisal_risk = RadioField(
        _l("Are they afraid of reprisals?"),
        choices=REPRISAL_CHOICES,
        validators=[InputRequired(message=_l("Choose whether they fear reprisals."))],
    )
    recipients = RadioField(
        _l("Who receives the messages about the case?"),
        choices=_choices(RECIPIENT_LABELS),
        validators=[InputRequired(message=_l("Choose who receives the messages."))],
    )


class NewMandateForm(MandateFields):
    person = SelectField(_l("For whom?"))
    receive_messages = BooleanField(_l("Our organisation receives the messages about the case"))


class RequiredReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Why?"),
        validators=[DataRequired(message=_l("Give the reason.")), Length(max=MAX_REASON)],
    )


class InformationForm(FlaskForm):
    information = TextAreaField(
        _l("Information to add"),
        validators=[
            DataRequired(message=_l("Write the information you want to add.")),
            Length(max=MAX_REASON),
        ],
    )


class CheckInForm(FlaskForm):
    answer = RadioField(
        _l("Was the remedy delivered?"),
        choices=ANSWER_CHOICES,
        validators=[InputRequired(message=_l("Choose an answer."))],
    )
    comment = TextAreaField(
        _l("What is missing, or anything to add (optional)"),
        validators=[Optional(), Length(max=2000)],
    )


class WithdrawForm(FlaskForm):
    confirm = BooleanField(
        _l("The people asked to withdraw the grievance"),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class ButtonForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def _scopes(form: MandateFields) -> frozenset[MandateScope]:
    return frozenset(MandateScope(value) for value in form.scopes.data or [])


def _terms(form: MandateFields) -> MandateTerms:
    return MandateTerms(
        scopes=_scopes(form),
        consent_method=ConsentMethod(form.consent_method.data),
        valid_until=form.valid_until.data,
        consent_note=form.consent_note.data or None,
        evidence=_evidence(form),
    )


def _actor() -> Actor:
    return Actor.for_user(current_user)


def _field_error(form: FlaskForm, problem: InvalidInput, aliases: dict[str, str]) -> None:
    """Show a service's refusal beside the field it names, or at the top of the page."""
    name = aliases.get(problem.field or "", problem.field or "")
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(problem)]
    else:
        flash(str(problem), "error")


@bp.before_request
def _members_of_vetted_organisations() -> Response | tuple[str, int] | None:
    if not current_user.is_authenticated:
        response: Response = login_manager.unauthorized()
        return response
    if current_user.role is not Role.PROXY_MEMBER:
        abort(403)
    if not proxy_cases.is_vetted(_actor()):
        return render_template("proxy/not_vetted.html"), 403
    return None


@bp.route("/")
def dashboard() -> str:
    page = request.args.get("page", 1, type=int) or 1
    cases = proxy_cases.organisation_cases(_actor(), page)
    return render_template(
        "proxy/dashboard.html",
        cases=cases,
        display=display,
        status_labels=proxy_cases.MANDATE_STATUS_LABELS,
    )


@bp.route("/file", methods=["GET", "POST"])
def file() -> str | tuple[str, int]:
    form = FileForm()
    if request.method == "GET":
        form.scopes.data = [MandateScope.FILE.value, MandateScope.FOLLOW.value]
        form.language.data = current_language()
    if form.validate_on_submit():
        group = form.for_whom.data == "group"
        if group:
            people = proxy_cases.parse_people(form.people.data or "")
        else:
            details = PersonDetails(form.name.data or None, form.phone.data or None)
            people = [details] if details.name or details.phone else []
        filing = ProxyFiling(
            description=form.description.data,
            language=form.language.data,
            mandate=_terms(form),
            for_group=group,
            people=people,
            people_affected=form.people_affected.data if group else None,
            category=Category(form.category.data) if form.category.data else None,
            location=form.location.data or None,
            harm_date=form.harm_date.data,
            identity_withheld=form.identity.data == "no",
            reprisal_risk=ReprisalRisk(form.reprisal_risk.data),
            recipients=MessageRecipients(form.recipients.data),
        )
        try:
            submitted = proxy_cases.file_on_behalf(_actor(), filing)
        except InvalidInput as problem:
            aliases = {"people": "people" if group else "name", "phone": "phone"}
            if group:
                aliases.update({"phone": "people", "name": "people"})
            _field_error(form, problem, aliases)
        else:
            # The PIN exists in clear only now: shown once, never stored or redirected with.
            return render_template(
                "proxy/filed.html",
                grievance=submitted.grievance,
                pin=submitted.pin,
                reference=display(submitted.grievance.reference),
            )
    status = 400 if request.method == "POST" else 200
    return render_template("proxy/file.html", form=form), status


# One case ----------------------------------------------------------------------------------


def _render_case(
    grievance: Grievance, status: int = 200, forms: dict[str, FlaskForm] | None = None
) -> tuple[str, int]:
    actor = _actor()
    view = proxy_cases.case_view(actor, grievance)
    return (
        render_template(
            "proxy/case.html",
            view=view,
            reference=display(grievance.reference),
            forms=forms or {},
            show_people=may_see_identity(actor, grievance),
            scope_labels=SCOPE_LABELS,
            status_labels=proxy_cases.MANDATE_STATUS_LABELS,
            today=utcnow().date(),
            RequiredReasonForm=RequiredReasonForm,
            InformationForm=InformationForm,
            CheckInForm=CheckInForm,
            WithdrawForm=WithdrawForm,
        ),
        status,
    )


@bp.route("/cases/<reference>")
def case(reference: str) -> tuple[str, int]:
    return _render_case(proxy_cases.open_case(_actor(), reference))


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
            actor = _actor()
            grievance = proxy_cases.open_case(actor, reference)
            return _act(grievance, scope, build(actor, grievance, **ids))

        return view

    return register


def _act(grievance: Grievance, scope: MandateScope, action: _Action) -> Response | tuple[str, int]:
    """Run one service; on refusal show the case again with why, and nothing changed."""
    forms = {action.form_key: action.form} if action.form_key else {}
    if not action.form.validate_on_submit():
        flash(_("Please check the form below."), "error")
        return _render_case(grievance, 400, forms)
    try:
        action.run()
    except NotAllowed as refusal:
        organisation_id = _actor().organisation_id
        reason = representation.mandate_refusal(organisation_id, grievance, scope, action.person)
        flash(f"{reason or refusal} {_('Nothing was changed.')}", "error")
        return _render_case(grievance, 403, forms)
    except InvalidInput as problem:
        flash(f"{problem} {_('Nothing was changed.')}", "error")
        return _render_case(grievance, 400, forms)
    flash(action.done, "success")
    return redirect(url_for(".case", reference=grievance.reference))


@_case_action("/cases/<reference>/tracks/<int:track_id>/accept", MandateScope.ANSWER_PROPOSALS)
def accept(actor: Actor, grievance: Grievance, track_id: int) -> _Action:
    track = proxy_cases.case_track(grievance, track_id)
    return _Action(
        lambda: tracks.accept_proposal(actor, track),
        _("You accepted the proposal for the people."),
        ButtonForm(),
    )


@_case_action("/cases/<reference>/tracks/<int:track_id>/decline", MandateScope.ANSWER_PROPOSALS)
def decline(actor: Actor, grievance: Grievance, track_id: int) -> _Action:
    track = proxy_cases.case_track(grievance, track_id)
    form = RequiredReasonForm()
    return _Action(
        lambda: tracks.decline_proposal(actor, track, form.reason.data or ""),
        _("You declined the proposal for the people."),
        form,
        f"decline-{track.id}",
    )


@_case_action("/cases/<reference>/check-ins/<int:check_in_id>", MandateScope.ANSWER_CHECK_INS)
def answer(actor: Actor, grievance: Grievance, check_in_id: int) -> _Action:
    check_in = proxy_cases.case_check_in(grievance, check_in_id)
    form = CheckInForm()
    return _Action(
        lambda: check_ins.answer_check_in(
            actor, check_in, Answer(form.answer.data), form.comment.data or None
        ),
        _("Your answer is recorded."),
        form,
        f"check-in-{check_in.id}",
        person=check_in.person,
    )


@_case_action("/cases/<reference>/information", MandateScope.FOLLOW)
def add_information(actor: Actor, grievance: Grievance) -> _Action:
    form = InformationForm()
    return _Action(
        lambda: intake.provide_information(actor, grievance, form.information.data),
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
    return _Action(lambda: intake.withdraw(actor, grievance), done, WithdrawForm(), "withdraw")


# Mandates ----------------------------------------------------------------------------------


@bp.post("/cases/<reference>/mandates/<int:mandate_id>/withdraw")
def withdraw_mandate(reference: str, mandate_id: int) -> Response | tuple[str, int]:
    actor = _actor()
    grievance = proxy_cases.open_case(actor, reference)
    mandate = proxy_cases.case_mandate(actor, grievance, mandate_id)
    if not ButtonForm().validate_on_submit():
        flash(_("Please check the form below."), "error")
        return _render_case(grievance, 400)
    mandates.withdraw_mandate(actor, mandate)
    flash(_("The mandate is withdrawn. Your organisation no longer acts under it."), "success")
    return redirect(url_for(".case", reference=grievance.reference))


def _person_choices(grievance: Grievance) -> list[SelectChoice]:
    people = [
        SelectChoice(str(link.person_id), link.person.name or link.person.pseudonym)
        for link in grievance.people
    ]
    return [SelectChoice("", _("Everyone in this case")), *people]


def _person_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _valid_person(form: FlaskForm, field: Any) -> None:
    if field.data not in {choice.value for choice in field.choices}:
        raise ValidationError(_l("Choose someone from the list."))


@bp.route("/cases/<reference>/mandates/new", methods=["GET", "POST"])
def new_mandate(reference: str) -> Response | tuple[str, int]:
    actor = _actor()
    grievance = proxy_cases.open_case(actor, reference)
    form = NewMandateForm()
    form.person.choices = _person_choices(grievance)
    form.person.validators = [_valid_person]
    if request.method == "GET":
        form.scopes.data = [scope.value for scope in MandateScope if scope is not MandateScope.FILE]
        form.receive_messages.data = True
    if form.validate_on_submit():
        try:
            proxy_cases.record_mandate(
                actor,
                grievance,
                _terms(form),
                _person_id(form.person.data),
                bool(form.receive_messages.data),
            )
        except InvalidInput as problem:
            _field_error(form, problem, {})
        else:
            flash(_("The mandate is recorded."), "success")
            return redirect(url_for(".case", reference=grievance.reference))
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "proxy/new_mandate.html",
        form=form,
        grievance=grievance,
        reference=display(grievance.reference),
    )
    return page, status


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

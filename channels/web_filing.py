"""Public pages: telling what happened, one question per page (the answers kept in a
server-side draft between pages), the review, and the reference, PIN and receipt
shown for the minutes after filing.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from channels import web_forms as forms
from channels.web import bp, find_grievance, recall, remember, show_errors
from remedy.cases.status import case_status
from remedy.core.crypto import DecryptionError
from remedy.core.errors import InvalidInput
from remedy.core.i18n import current_language
from remedy.core.references import display
from remedy.filing import drafts, receipts
from remedy.models.grievance import CATEGORY_TITLES, TECHNOLOGY_CATEGORIES, Grievance
from remedy.models.types import keyring

DRAFT_KEY = "web_draft"
FILED_KEY = "web_filed"
# How long the browser keeps the new PIN without asking again.
FILED_MINUTES = 15
PIN_CONTEXT = "web.session.pin"


@dataclass(frozen=True)
class Step:
    name: str
    form: type[FlaskForm]
    title: Any
    # Answers the step stores, and whether the review needs them before filing.
    keys: tuple[str, ...]
    required: bool = True
    # Whether the step is asked, given the answers so far (None: always).
    asked_when: Callable[[dict[str, Any]], bool] | None = None

    def is_asked(self, answers: dict[str, Any]) -> bool:
        return self.asked_when is None or self.asked_when(answers)


def _about_technology(answers: dict[str, Any]) -> bool:
    return answers.get("category") in {category.value for category in TECHNOLOGY_CATEGORIES}


STEPS = (
    Step("what", forms.WhatForm, _l("What happened?"), ("description",)),
    Step("category", forms.CategoryForm, _l("What is it about?"), ("category",)),
    Step(
        "technology",
        forms.TechnologyForm,
        _l("Do you use the product or service?"),
        ("product_user", "external_reference"),
        asked_when=_about_technology,
    ),
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


def _answers(draft: drafts.Draft | None) -> dict[str, Any]:
    return draft.answers if draft else {}


def _asked(draft: drafts.Draft | None) -> list[Step]:
    """The steps these answers call for: the technology question only for technology."""
    answers = _answers(draft)
    return [step for step in STEPS if step.is_asked(answers)]


def _first_missing(draft: drafts.Draft | None) -> str | None:
    """The first step not answered yet (optional steps count once seen)."""
    answers = _answers(draft)
    for step in _asked(draft):
        if step.keys[0] not in answers:
            return step.name
    return None


def _step_url(name: str, from_review: bool = False) -> str:
    values: dict[str, Any] = {"from": "review"} if from_review else {}
    return url_for("web.file_step", step=name, **values)


def _next_url(step: Step, from_review: bool, draft: drafts.Draft | None) -> str:
    asked = [item.name for item in _asked(draft)]
    missing = _first_missing(draft)
    if from_review:
        # A changed answer may call for a question not asked before (the technology one).
        return _step_url(missing, from_review=True) if missing else url_for("web.review")
    index = asked.index(step.name)
    if index + 1 == len(asked):
        return url_for("web.review")
    return _step_url(asked[index + 1])


def _back_url(step: Step, from_review: bool, draft: drafts.Draft | None) -> str:
    asked = [item.name for item in _asked(draft)]
    if from_review:
        return url_for("web.review")
    index = asked.index(step.name) if step.name in asked else 0
    return _step_url(asked[index - 1]) if index else url_for("web.home")


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
    step = _first_missing(_draft()) or STEP_NAMES[0]
    # A link such as /file?lang=sw keeps its language even where no cookie is kept.
    chosen = request.args.get("lang")
    language: dict[str, Any] = {"lang": chosen} if chosen == current_language() else {}
    return redirect(url_for("web.file_step", step=step, **language))


@bp.route("/file/<step>", methods=["GET", "POST"])
def file_step(step: str) -> Response | tuple[str, int] | str:
    current = BY_NAME.get(step)
    if current is None:
        abort(404)
    draft = _draft()
    if not current.is_asked(_answers(draft)):
        abort(404)
    missing = _first_missing(draft)
    index = STEP_NAMES.index(step)
    if missing is not None and STEP_NAMES.index(missing) < index:
        # Steps are taken in order: someone who skipped ahead (or whose draft expired)
        # goes back to the first question not answered.
        return redirect(_step_url(missing))
    from_review = request.args.get("from") == "review" and missing in (None, step)
    form = current.form(data=_prefill(current, draft))
    if form.validate_on_submit():
        try:
            draft = _save_step(current, form, draft)
        except InvalidInput as error:
            show_errors(form, error, current.keys[0])
        else:
            return redirect(_next_url(current, from_review, draft))
    elif request.method == "POST" and "csrf_token" not in form.errors:
        draft = _keep_upload(current, form, draft)
    status = 400 if form.errors else 200
    asked = _asked(draft)
    page = render_template(
        "web/file_step.html",
        step=current,
        number=asked.index(current) + 1,
        total=len(asked) + 1,
        form=form,
        draft=draft,
        back_url=_back_url(current, from_review, draft),
        action=_step_url(current.name, from_review),
        categories=list(CATEGORY_TITLES.items()),
    )
    return page, status


def _keep_upload(step: Step, form: FlaskForm, draft: drafts.Draft | None) -> drafts.Draft | None:
    """A file sent with answers that were refused stays with the draft, so the person does
    not send it again (a browser never re-fills a file input)."""
    upload = form.attachment.data if step.name == "what" else None
    if upload is None or not getattr(upload, "filename", ""):
        return draft
    if draft is None:
        token, draft = drafts.start_draft()
        session[DRAFT_KEY] = token
    try:
        drafts.attach_file(draft, upload.filename, upload.read())
    except InvalidInput as error:
        show_errors(form, error, "attachment")
    return draft


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
            _remember_filing(submitted.grievance, submitted.pin, submitted.recovery_code)
            return redirect(url_for("web.filed"))
    page = render_template(
        "web/review.html",
        form=form,
        answers=draft.answers,
        draft=draft,
        steps=_asked(draft),
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
        "product_user": dict(forms.PRODUCT_USER_CHOICES),
    }


def _seal_pin(pin: str) -> str:
    return base64.urlsafe_b64encode(keyring().encrypt(pin.encode(), PIN_CONTEXT)).decode()


def _unseal_pin(sealed: str) -> str | None:
    if not sealed:
        return None
    try:
        return keyring().decrypt(base64.urlsafe_b64decode(sealed), PIN_CONTEXT).decode()
    except (ValueError, DecryptionError):
        return None


def _remember_filing(grievance: Grievance, pin: str, recovery: str | None) -> None:
    """For the next minutes only: the result page, its reload, and the receipt."""
    sealed = {"pin": _seal_pin(pin), "recovery": _seal_pin(recovery) if recovery else ""}
    remember(FILED_KEY, {"ref": grievance.reference, **sealed})


def _just_filed() -> tuple[Grievance, str, str | None] | None:
    entry = recall(FILED_KEY, FILED_MINUTES)
    if entry is None:
        session.pop(FILED_KEY, None)
        return None
    grievance = find_grievance(str(entry.get("ref", "")))
    pin = _unseal_pin(str(entry.get("pin", "")))
    if grievance is None or pin is None:
        return None
    return grievance, pin, _unseal_pin(str(entry.get("recovery", "")))


@bp.route("/file/done")
def filed() -> Response | str:
    found = _just_filed()
    if found is None:
        return redirect(url_for("web.open_case_page"))
    grievance, pin, recovery = found
    return render_template(
        "web/filed.html",
        grievance=grievance,
        reference=display(grievance.reference),
        pin=f"{pin[:3]} {pin[3:]}",
        recovery_code=recovery,
        receipt=receipts.receipt_for(grievance),
        status=case_status(grievance),
    )


@bp.route("/file/receipt")
def filed_receipt() -> Response | str:
    found = _just_filed()
    if found is None:
        return redirect(url_for("web.open_case_page"))
    grievance, pin, recovery = found
    secrets = request.args.get("pin") == "yes"
    return receipt_page(
        grievance,
        pin if secrets else None,
        back=url_for("web.filed"),
        recovery_code=recovery if secrets else None,
    )


def receipt_page(
    grievance: Grievance, pin: str | None, back: str, recovery_code: str | None = None
) -> str:
    """The receipt, with a way back to the page it was opened from (not printed). The
    secrets (PIN, recovery code) only when the person chose a receipt with them."""
    return render_template(
        "web/receipt.html",
        grievance=grievance,
        reference=display(grievance.reference),
        receipt=receipts.receipt_for(grievance),
        pin=f"{pin[:3]} {pin[3:]}" if pin else None,
        recovery_code=recovery_code,
        back=back,
    )

"""Public pages for a lost or locked PIN: a code sent to the phone number on file, or the
recovery code printed on the receipt; either gives a new PIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from channels import web_forms as forms
from channels.web import bp, recall, remember, source
from channels.web_case import CASE_KEY, remember_opened
from remedy.access import pin_reset, recovery
from remedy.access.case_access import TooManyAttempts
from remedy.core.errors import InvalidInput
from remedy.core.references import display, normalise
from remedy.models.grievance import Grievance

FormT = TypeVar("FormT", bound=FlaskForm)
ResultT = TypeVar("ResultT")

RESET_KEY = "web_pin_reset"
# How long the browser waits for the code sent to the phone.
RESET_MINUTES = 15


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
    remember(RESET_KEY, {"ref": normalise(form.reference.data)})
    return redirect(url_for("web.pin_reset_code"))


@bp.route("/pin-reset", methods=["GET", "POST"])
def pin_reset_start() -> Response | tuple[str, int]:
    return _pin_reset_step(
        forms.PinResetForm(),
        "phone",
        lambda form: pin_reset.request_code(form.reference.data, form.phone.data, source()),
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
    entry = recall(RESET_KEY, RESET_MINUTES)
    if entry is None:
        return redirect(url_for("web.pin_reset_start"))
    return _pin_reset_step(
        forms.ResetCodeForm(),
        "code",
        lambda form: pin_reset.use_code(str(entry["ref"]), form.code.data, source()),
        _new_pin_page,
        "web/pin_reset_code.html",
    )


class RecoveryForm(FlaskForm):
    reference = forms.OpenCaseForm.reference
    code = forms.text(
        _l("Recovery code"),
        40,
        _l("Give the recovery code from your receipt."),
        free=False,
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


def _recovered(_form: FlaskForm, done: recovery.Recovered) -> tuple[str, int]:
    """The case is open in this browser; the new PIN and code are shown this once."""
    session.pop(RESET_KEY, None)
    remember_opened(done.grievance)
    page = render_template(
        "web/recover_done.html",
        grievance=done.grievance,
        reference=display(done.grievance.reference),
        pin=f"{done.pin[:3]} {done.pin[3:]}",
        recovery_code=done.recovery_code,
    )
    return page, 200


@bp.route("/recover", methods=["GET", "POST"])
def recover() -> Response | tuple[str, int]:
    form = RecoveryForm()
    if request.method == "GET" and request.args.get("reference"):
        form.reference.data = request.args["reference"]
    return _pin_reset_step(
        form,
        "code",
        lambda form: recovery.use_recovery_code(form.reference.data, form.code.data, source()),
        _recovered,
        "web/recover.html",
    )

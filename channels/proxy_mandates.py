"""The mandates of a case in the proxy portal: recording a further one, withdrawing one,
and entering the code by which the people confirm one waiting for their consent."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from channels.proxy import bp, current_member, field_error
from channels.proxy_case import render_case
from channels.proxy_forms import ButtonForm, ConsentCodeForm, NewMandateForm, mandate_terms
from remedy.core.errors import InvalidInput
from remedy.core.references import display
from remedy.models.grievance import Grievance
from remedy.proxy import case_view as proxy_case
from remedy.proxy import mandate_consent, mandates
from remedy.workflows.definition import MandateScope


@bp.post("/cases/<reference>/mandates/<int:mandate_id>/withdraw")
def withdraw_mandate(reference: str, mandate_id: int) -> Response | tuple[str, int]:
    actor = current_member()
    grievance = proxy_case.open_case(actor, reference)
    mandate = proxy_case.case_mandate(actor, grievance, mandate_id)
    if not ButtonForm().validate_on_submit():
        flash(_("Please check the form below."), "error")
        return render_case(grievance, 400)
    mandates.withdraw_mandate(actor, mandate)
    flash(_("The mandate is withdrawn. Your organisation no longer acts under it."), "success")
    return redirect(url_for(".case", reference=grievance.reference))


@bp.post("/cases/<reference>/mandates/<int:mandate_id>/confirm")
def confirm_mandate(reference: str, mandate_id: int) -> Response | tuple[str, int]:
    """The code the people received, given to the organisation: their consent."""
    actor = current_member()
    grievance = proxy_case.open_case(actor, reference)
    mandate = proxy_case.case_mandate(actor, grievance, mandate_id)
    form = ConsentCodeForm()
    if form.validate_on_submit():
        try:
            mandate_consent.confirm_with_code(actor, mandate, form.code.data or "")
        except InvalidInput as problem:
            field_error(form, problem, {})
        else:
            flash(_("The people confirmed the mandate. It is in force."), "success")
            return redirect(url_for(".case", reference=grievance.reference))
    return render_case(grievance, 400, {f"confirm-{mandate.id}": form})


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
    actor = current_member()
    grievance = proxy_case.open_case(actor, reference)
    form = NewMandateForm()
    form.person.choices = _person_choices(grievance)
    form.person.validators = [_valid_person]
    if request.method == "GET":
        form.scopes.data = [scope.value for scope in MandateScope if scope is not MandateScope.FILE]
        form.receive_messages.data = True
    if form.validate_on_submit():
        try:
            mandate = mandates.record_mandate(
                actor,
                grievance,
                mandate_terms(form),
                _person_id(form.person.data),
                bool(form.receive_messages.data),
            )
        except InvalidInput as problem:
            field_error(form, problem, {})
        else:
            if mandate.awaiting_consent:
                flash(
                    _(
                        "The people withdrew a mandate of your organisation before: this one "
                        "waits for their consent. We sent them a code; enter it when they give "
                        "it to you."
                    ),
                    "info",
                )
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

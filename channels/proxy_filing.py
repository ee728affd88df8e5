"""The proxy portal's filing page: a member files for the people who gave the mandate."""

from __future__ import annotations

from flask import render_template, request

from channels.proxy import bp, current_member, field_error
from channels.proxy_forms import FileForm, mandate_terms
from remedy.core.errors import InvalidInput
from remedy.core.i18n import current_language
from remedy.core.references import display
from remedy.filing.grievances import PersonDetails
from remedy.models.grievance import Category, ProductUser, ReprisalRisk
from remedy.proxy.filing import MessageRecipients, ProxyFiling, file_on_behalf, parse_people
from remedy.workflows.definition import MandateScope


def _people(form: FileForm, group: bool) -> list[PersonDetails]:
    """The people as listed (a number refused names its line), or the one person."""
    if group:
        return parse_people(form.people.data or "")
    details = PersonDetails(form.name.data or None, form.phone.data or None)
    return [details] if details.name or details.phone else []


@bp.route("/file", methods=["GET", "POST"])
def file() -> str | tuple[str, int]:
    form = FileForm()
    if request.method == "GET":
        form.scopes.data = [MandateScope.FILE.value, MandateScope.FOLLOW.value]
        form.language.data = current_language()
    if form.validate_on_submit():
        group = form.for_whom.data == "group"
        try:
            people = _people(form, group)
        except InvalidInput as problem:
            field_error(form, problem, {"people": "people", "phone": "people"})
            return render_template("proxy/file.html", form=form), 400
        filing = ProxyFiling(
            description=form.description.data,
            language=form.language.data,
            mandate=mandate_terms(form),
            for_group=group,
            people=people,
            people_affected=form.people_affected.data if group else None,
            category=Category(form.category.data) if form.category.data else None,
            product_user=ProductUser(form.product_user.data) if form.product_user.data else None,
            external_reference=form.external_reference.data or None,
            location=form.location.data or None,
            harm_date=form.harm_date.data,
            identity_withheld=form.identity.data == "no",
            reprisal_risk=ReprisalRisk(form.reprisal_risk.data),
            recipients=MessageRecipients(form.recipients.data),
        )
        try:
            submitted = file_on_behalf(current_member(), filing)
        except InvalidInput as problem:
            aliases = {"people": "people" if group else "name", "phone": "phone"}
            if group:
                aliases.update({"phone": "people", "name": "people"})
            field_error(form, problem, aliases)
        else:
            # The PIN and recovery code exist in clear only now: shown once, never stored.
            return render_template(
                "proxy/filed.html",
                grievance=submitted.grievance,
                pin=submitted.pin,
                recovery_code=submitted.recovery_code,
                reference=display(submitted.grievance.reference),
            )
    status = 400 if request.method == "POST" else 200
    return render_template("proxy/file.html", form=form), status

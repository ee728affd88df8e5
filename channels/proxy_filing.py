"""The proxy portal's filing page: a member files for the people who gave the mandate.

Every refusal shows the form again as typed, with all that is wrong at once: each bad
line of a people list, and the form's own errors. A consent record uploaded with a
refused form is kept (encrypted, for this member's session, ``remedy.filing.kept_files``)
and used on the next submit, so it is never silently lost.
"""

from __future__ import annotations

from flask import render_template, request, session
from flask_login import current_user

from channels.proxy import bp, current_member, field_error
from channels.proxy_forms import FileForm, mandate_terms
from remedy.core.errors import InvalidInput
from remedy.core.i18n import current_language
from remedy.core.references import display
from remedy.filing import kept_files
from remedy.filing.grievances import PersonDetails
from remedy.models.grievance import Category, ProductUser, ReprisalRisk
from remedy.proxy import mandates
from remedy.proxy.filing import (
    MessageRecipients,
    PeopleListRefused,
    ProxyFiling,
    file_on_behalf,
    parse_people,
)
from remedy.workflows.definition import MandateScope

KEPT_KEY = "proxy_kept_evidence"


def _people(form: FileForm, group: bool) -> list[PersonDetails]:
    """The people as listed (a number refused names its line), or the one person."""
    if group:
        return parse_people(form.people.data or "")
    details = PersonDetails(form.name.data or None, form.phone.data or None)
    return [details] if details.name or details.phone else []


def _owner() -> str:
    return f"user:{current_user.id}"


def _keep_evidence(form: FileForm) -> mandates.Evidence | None:
    """The evidence for this submit: a new upload (kept in case the form is refused), else
    the file kept from an earlier refusal, unless the member removed it."""
    token = session.get(KEPT_KEY)
    if form.remove_evidence.data:
        kept_files.forget_file(token)
        session.pop(KEPT_KEY, None)
    upload = form.evidence.data
    if upload is not None and getattr(upload, "filename", None):
        evidence = mandates.Evidence(upload.filename, upload.read())
        content_type = mandates.evidence_type(evidence.content)
        session[KEPT_KEY] = kept_files.keep_file(
            session.get(KEPT_KEY), _owner(), evidence.filename, content_type, evidence.content
        )
        return evidence
    kept = kept_files.kept_file(session.get(KEPT_KEY), _owner())
    return mandates.Evidence(kept.name, kept.content) if kept else None


def _page(form: FileForm, status: int) -> tuple[str, int]:
    kept = kept_files.kept_file(session.get(KEPT_KEY), _owner())
    form.remove_evidence.data = False
    return render_template("proxy/file.html", form=form, kept=kept), status


def _filing(
    form: FileForm, people: list[PersonDetails], evidence: mandates.Evidence | None
) -> ProxyFiling:
    group = form.for_whom.data == "group"
    terms = mandate_terms(form)
    return ProxyFiling(
        description=form.description.data,
        language=form.language.data,
        mandate=mandates.MandateTerms(
            terms.scopes, terms.consent_method, terms.valid_until, terms.consent_note, evidence
        ),
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


@bp.route("/file", methods=["GET", "POST"])
def file() -> str | tuple[str, int]:
    form = FileForm()
    if request.method == "GET":
        form.scopes.data = [MandateScope.FILE.value, MandateScope.FOLLOW.value]
        form.language.data = current_language()
        return _page(form, 200)
    valid = form.validate_on_submit()
    if form.csrf_token.errors:
        return _page(form, 400)
    group = form.for_whom.data == "group"
    people: list[PersonDetails] = []
    evidence = None
    try:
        evidence = _keep_evidence(form)
    except InvalidInput as problem:
        field_error(form, problem, {})
        valid = False
    try:
        people = _people(form, group)
    except PeopleListRefused as refused:
        form.people.errors = [*form.people.errors, *refused.lines]
        valid = False
    except InvalidInput as problem:
        field_error(form, problem, {"people": "people", "phone": "people" if group else "phone"})
        valid = False
    if not valid:
        return _page(form, 400)
    try:
        submitted = file_on_behalf(current_member(), _filing(form, people, evidence))
    except InvalidInput as problem:
        aliases = {"people": "people" if group else "name", "phone": "phone"}
        if group:
            aliases.update({"phone": "people", "name": "people"})
        field_error(form, problem, aliases)
        return _page(form, 400)
    kept_files.forget_file(session.pop(KEPT_KEY, None))
    # The PIN and recovery code exist in clear only now: shown once, never stored or
    # redirected with.
    return render_template(
        "proxy/filed.html",
        grievance=submitted.grievance,
        pin=submitted.pin,
        recovery_code=submitted.recovery_code,
        reference=display(submitted.grievance.reference),
    ), 200

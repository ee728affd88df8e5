"""Triage from the case page: the flags a person confirms or dismisses, a provisional
severity, and the senior reviewer a supervisor names (the panel: ``case_triage``).

The rules (who may, what a confirmation does to deadlines) live in
:mod:`remedy.cases.triage`; these views read the forms and call it.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import intake, triage
from remedy.console import case_forms
from remedy.console.case_acting import act
from remedy.console.case_triage import SEVERITY_HELP
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.models.grievance import Grievance, UrgencyFlag
from remedy.models.user import Role


def _flags() -> list[UrgencyFlag]:
    known = {flag.value: flag for flag in UrgencyFlag}
    values = request.form.getlist("flag")
    if any(value not in known for value in values):
        raise InvalidInput(_("Choose one of the listed options."), "flag")
    return [known[value] for value in values]


def _severity() -> intake.Severity | None:
    """All three scales, or none (the severity stays as it was)."""
    given = [request.form.get(f"severity-{part}", "").strip() for part in SEVERITY_HELP]
    if not any(given):
        return None
    return case_forms.severity(request.form)


@bp.post("/grievances/<reference>/triage")
@roles_required(*triage.TRIAGERS)
def triage_case(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        triage.triage(actor, grievance, _flags(), _severity())
        return _("The triage is saved.")

    return act(reference, "triage", run, "#triage")


@bp.post("/grievances/<reference>/reviewer")
@roles_required(Role.SUPERVISOR)
def name_reviewer(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        value = request.form.get("reviewer", "").strip()
        if not value.isdigit():
            raise InvalidInput(_("Choose one of the options offered."), "reviewer")
        case_forms.check_version(grievance, request.form)
        triage.name_reviewer(actor, grievance, int(value))
        return _("The senior reviewer is named.")

    return act(reference, "reviewer", run, "#triage")

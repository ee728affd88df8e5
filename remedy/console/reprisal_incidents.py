"""The reprisal incident log on a case's page: recording an incident with its measures,
lifting a contact hold, and a supervisor acknowledging the alert.

The rules (who may, what each measure does) live in :mod:`remedy.cases.reprisal_incidents`
and :mod:`remedy.cases.contact_hold`; these views read the forms and call them.
"""

from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import contact_hold, reprisal_incidents
from remedy.cases.protection import PROTECTORS
from remedy.console import case_forms
from remedy.console.case_acting import ROW_ID, act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.models.grievance import Grievance
from remedy.models.user import Role


def _date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise InvalidInput(_("Give the date it happened."), "happened_on") from error


def _mechanism_id(text: str | None) -> int | None:
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(_("Choose one of the listed options."), "mechanism")
    return int(text)


def _report() -> reprisal_incidents.IncidentReport:
    form = request.form
    return reprisal_incidents.IncidentReport(
        what_happened=form.get("what_happened"),
        happened_on=_date(form.get("happened_on")),
        suspected=form.get("suspected"),
        hold_contact=form.get("hold_contact") == "1",
        make_discreet=form.get("make_discreet") == "1",
        mechanism_id=_mechanism_id(form.get("mechanism")),
        alert_supervisors=form.get("alert_supervisors") == "1",
    )


@bp.post("/grievances/<reference>/reprisal-incidents")
@roles_required(*PROTECTORS)
def record_reprisal_incident(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        reprisal_incidents.record_incident(actor, grievance, _report())
        return _("The incident is recorded and the measures taken.")

    return act(reference, "reprisal-incident", run, "#reprisal-incidents")


@bp.post("/grievances/<reference>/contact-hold/lift")
@roles_required(*PROTECTORS)
def lift_contact_hold(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        choice = request.form.get("waiting", "")
        if choice not in {item.value for item in contact_hold.Waiting}:
            raise InvalidInput(_("Choose one of the listed options."), "waiting")
        contact_hold.lift_contact_hold(
            actor, grievance, request.form.get("reason"), contact_hold.Waiting(choice)
        )
        return _("Contact with the people may start again.")

    return act(reference, "contact-hold", run, "#reprisal-incidents")


@bp.post(f"/grievances/<reference>/reprisal-incidents/<{ROW_ID}:incident_id>/acknowledge")
@roles_required(Role.SUPERVISOR)
def acknowledge_reprisal_alert(reference: str, incident_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        reprisal_incidents.acknowledge_alert(actor, grievance, incident_id)
        return _("The alert is acknowledged.")

    return act(reference, "reprisal-alert", run, "#reprisal-incidents")

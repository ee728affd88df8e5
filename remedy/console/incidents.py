"""Incidents in the console: start one from a case or join the incident of another case,
the incident's page (its cases, their states and tracks), adding and removing cases, and
acting once for every linked case (a proposal, a decision) with a report per case.

The rules live in :mod:`remedy.cases.incidents` and :mod:`remedy.cases.incident_actions`;
these views read the forms and call them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import incident_actions, incident_view, incidents
from remedy.cases.incident_actions import FanOutReport
from remedy.cases.referrals import directory
from remedy.console import case_forms
from remedy.console.case import FormState
from remedy.console.case_acting import ROW_ID, act
from remedy.console.views import NAV, STAFF, NavLink, bp, current_actor
from remedy.core.actors import Actor
from remedy.core.errors import ConflictError, InvalidInput, ServiceError
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.identity.visibility import may_change
from remedy.models.grievance import Grievance
from remedy.models.incident import Incident
from remedy.models.remedy_action import ActionOwner, RemedyType
from remedy.models.user import Role

MANAGERS = (Role.HANDLER, Role.SUPERVISOR)
NAV.append(NavLink("incidents", _l("Incidents"), "console.incidents_list"))


def _page(
    actor: Actor,
    incident: Incident,
    status: int = 200,
    form: FormState | None = None,
    report: FanOutReport | None = None,
) -> tuple[str, int]:
    rows = incident_view.case_rows(actor, incident)
    manager = incidents.may_manage(actor) and may_change(actor)
    context: dict[str, Any] = {
        "incident": incident,
        "rows": rows,
        "display": display,
        "may_manage": manager,
        "organisations": incident_view.organisations(rows),
        "suggestions": incident_view.suggestions(actor, incident),
        "decisions": incident_actions.DECISIONS,
        "directory": (directory(), []) if manager else ([], []),
        "report": report,
        "form": form or FormState(),
        # What the remedy action fields of the case page read.
        "remedy_types": list(RemedyType),
        "action_owners": list(ActionOwner),
        "owner_labels": case_forms.OWNER_LABELS,
    }
    return render_template("console/incident.html", **context), status


def _on_incident(
    incident_id: int, key: str, work: Callable[[Actor, Incident], str | FanOutReport]
) -> Response | tuple[str, int]:
    """Run ``work``; a message brings the page back (Post/Redirect/Get), a report is shown
    at once; a refusal shows the page with the form open and why, nothing changed."""
    actor = current_actor()
    incident = incidents.get_incident(actor, incident_id)
    if not may_change(actor):
        abort(403)
    try:
        done = work(actor, incident)
    except ServiceError as error:
        db.session.rollback()
        state = FormState(key, str(error), error.field, request.form)
        return _page(actor, incidents.get_incident(actor, incident_id), error.status, state)
    if isinstance(done, FanOutReport):
        return _page(actor, incidents.get_incident(actor, incident_id), report=done)
    flash(done, "success")
    return redirect(url_for("console.incident", incident_id=incident_id))


def _organisation(actor: Actor, incident: Incident) -> int:
    """The organisation chosen (one with a track on a linked case); who may act first."""
    incidents.refuse_unless_manager(actor)
    chosen = request.form.get("organisation", "")
    rows = incident_view.case_rows(actor, incident)
    allowed = {str(organisation_id) for organisation_id, _n in incident_view.organisations(rows)}
    if chosen not in allowed:
        raise InvalidInput(_("Choose one of the listed options."), "organisation")
    return int(chosen)


@bp.get("/incidents")
@roles_required(*STAFF)
def incidents_list() -> str:
    listed = incident_view.listed_incidents(current_actor())
    return render_template("console/incidents.html", listed=listed)


@bp.get(f"/incidents/<{ROW_ID}:incident_id>")
@roles_required(*STAFF)
def incident(incident_id: int) -> tuple[str, int]:
    actor = current_actor()
    return _page(actor, incidents.get_incident(actor, incident_id))


@bp.post(f"/incidents/<{ROW_ID}:incident_id>")
@roles_required(*MANAGERS)
def describe_incident(incident_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, incident: Incident) -> str:
        shown = request.form.get("version", "")
        if shown and shown != str(incident.version):
            raise ConflictError("the incident changed since the page was shown")
        form = request.form
        incidents.describe_incident(actor, incident, form.get("title"), form.get("summary"))
        return _("The incident is saved.")

    return _on_incident(incident_id, "describe", run)


@bp.post(f"/incidents/<{ROW_ID}:incident_id>/grievances")
@roles_required(*MANAGERS)
def link_to_incident(incident_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, incident: Incident) -> str:
        grievance = incidents.link_grievance(actor, incident, request.form.get("reference", ""))
        return _("Case %(reference)s is linked.", reference=display(grievance.reference))

    return _on_incident(incident_id, "link", run)


@bp.post(f"/incidents/<{ROW_ID}:incident_id>/grievances/<{ROW_ID}:grievance_id>/remove")
@roles_required(*MANAGERS)
def unlink_from_incident(incident_id: int, grievance_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, incident: Incident) -> str:
        incidents.unlink_grievance(actor, incident, grievance_id)
        return _("The case is no longer linked to this incident.")

    return _on_incident(incident_id, f"remove-{grievance_id}", run)


@bp.post(f"/incidents/<{ROW_ID}:incident_id>/proposal")
@roles_required(*MANAGERS)
def propose_to_incident(incident_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, incident: Incident) -> FanOutReport:
        organisation_id = _organisation(actor, incident)
        plans = case_forms.remedy_actions(request.form)
        return incident_actions.propose_to_everyone(actor, incident, organisation_id, plans)

    return _on_incident(incident_id, "proposal", run)


@bp.post(f"/incidents/<{ROW_ID}:incident_id>/decision")
@roles_required(*MANAGERS)
def decide_for_incident(incident_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, incident: Incident) -> FanOutReport:
        organisation_id = _organisation(actor, incident)
        form = request.form
        return incident_actions.decide_for_everyone(
            actor,
            incident,
            organisation_id,
            form.get("decision", ""),
            form.get("reason", ""),
            case_forms.referral(form),
        )

    return _on_incident(incident_id, "decision", run)


# From a case's page ----------------------------------------------------------------------


@bp.post("/grievances/<reference>/incident")
@roles_required(*MANAGERS)
def start_incident(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        form = request.form
        incidents.create_incident(actor, grievance, form.get("title"), form.get("summary"))
        return _("The incident is started from this case.")

    return act(reference, "incident", run, "#incident")


@bp.post("/grievances/<reference>/incident/join")
@roles_required(*MANAGERS)
def join_incident(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        incidents.join_incident_of(actor, grievance, request.form.get("reference", ""))
        return _("The case is linked to the incident.")

    return act(reference, "incident-join", run, "#incident")

"""Erasure requests in the console: ask with a reason, a second person decides.

The rules live in :mod:`remedy.identity.erasure_requests`; these views only read the
form, call the service, and show the case again.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.console.case_acting import ROW_ID, act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.core.errors import ConflictError, InvalidInput
from remedy.identity import erasure_requests
from remedy.models.grievance import Grievance
from remedy.models.user import Role

DECIDERS = (Role.PROTECTION_OFFICER, Role.SUPERVISOR)


@bp.post("/grievances/<reference>/erasure-requests")
@roles_required(Role.PROTECTION_OFFICER)
def request_erasure(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        erasure_requests.request_erasure(actor, grievance, request.form.get("reason", ""))
        return _("The erasure is waiting for a second person's decision.")

    return act(reference, "erasure-request", run, "#erasure")


@bp.post(f"/grievances/<reference>/erasure-requests/<{ROW_ID}:request_id>")
@roles_required(*DECIDERS)
def decide_erasure(reference: str, request_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        found = erasure_requests.get_request(grievance, request_id)
        decision = request.form.get("decision")
        if decision not in ("approve", "refuse"):
            raise InvalidInput(_("Approve or refuse the request."), "decision")
        shown = request.form.get("erasure_version", "")
        if not shown.isdigit():
            raise ConflictError("the request changed since it was shown")
        erasure_requests.decide_erasure(
            actor,
            found,
            approve=decision == "approve",
            note=request.form.get("note"),
            expected_version=int(shown),
        )
        if decision == "approve":
            return _("Approved. The people's data in this case is erased.")
        return _("Refused. Nothing was erased.")

    return act(reference, f"erasure-{request_id}", run, "#erasure")

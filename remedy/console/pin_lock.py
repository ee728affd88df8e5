"""Lifting a reference's PIN lock from the case page, with the person present
(``remedy.access.unlock``); the page's part is ``case_pin_lock``."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.access import unlock
from remedy.auth.sessions import roles_required
from remedy.console import case_forms
from remedy.console.case_acting import act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.models.grievance import Grievance


@bp.post("/grievances/<reference>/pin-lock/lift")
@roles_required(*unlock.UNLOCKERS)
def lift_pin_lock(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        unlock.unlock_with_person_present(actor, grievance, request.form.get("reason"))
        return _("The lock is lifted: the person can open the case with the PIN again.")

    return act(reference, "pin-lock", run, "#pin-lock")

"""Changing a case's reprisal risk from its page: a risk, a reason, nothing else.

The rule (who may, what a change does to the messages) lives in
:mod:`remedy.cases.protection`; this view reads the form and calls it.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import protection
from remedy.console import case_forms
from remedy.console.case_acting import act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.models.grievance import Grievance, ReprisalRisk


def _chosen_risk() -> ReprisalRisk:
    value = request.form.get("risk", "")
    if value not in {risk.value for risk in ReprisalRisk}:
        raise InvalidInput(_("Choose one of the listed options."), "risk")
    return ReprisalRisk(value)


@bp.post("/grievances/<reference>/reprisal-risk")
@roles_required(*protection.PROTECTORS)
def change_reprisal_risk(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        protection.change_reprisal_risk(
            actor, grievance, _chosen_risk(), request.form.get("reason")
        )
        return _("The reprisal risk is changed.")

    return act(reference, "reprisal-risk", run, "#reprisal-risk")

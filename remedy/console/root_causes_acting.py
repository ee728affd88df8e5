"""Setting a case's root causes from its page (assessment), and confirming or changing them
once it has closed (the panel: ``case_root_causes``)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import case_root_causes
from remedy.console import case_forms
from remedy.console.case_acting import act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.models.grievance import Grievance
from remedy.models.types import MAX_ROW_ID


def chosen_ids(name: str = "root_cause") -> list[int]:
    """The ticked causes' ids; anything else is a clear error."""
    values = request.form.getlist(name)
    if any(not value.isdigit() or int(value) > MAX_ROW_ID for value in values):
        raise InvalidInput(_("Choose one of the listed root causes."), name)
    return [int(value) for value in values]


@bp.post("/grievances/<reference>/root-causes")
@roles_required(*case_root_causes.SETTERS)
def set_root_causes(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        confirming = grievance.is_ended
        case_root_causes.set_root_causes(actor, grievance, chosen_ids())
        if confirming:
            return _("The root causes are confirmed.")
        return _("The root causes are saved.")

    return act(reference, "root-causes", run, "#root-causes")

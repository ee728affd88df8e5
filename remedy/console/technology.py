"""Technology harms on a case page: whether the person uses the product, and the external
reference, recorded or corrected by the team.

The rule (who may, what is audited) lives in :mod:`remedy.cases.technology`; this view
reads the form and calls it.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import technology
from remedy.cases.policy import CASE_WORKERS
from remedy.console import case_forms
from remedy.console.case_acting import act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.models.grievance import Grievance, ProductUser


def _chosen() -> ProductUser | None:
    value = request.form.get("product_user", "")
    return case_forms.choice(ProductUser, value, "product_user") if value else None


@bp.post("/grievances/<reference>/technology")
@roles_required(*CASE_WORKERS)
def record_technology(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.check_version(grievance, request.form)
        technology.record_technology_details(
            actor, grievance, _chosen(), request.form.get("external_reference")
        )
        return _("The technology details are saved.")

    return act(reference, "technology", run, "#technology")

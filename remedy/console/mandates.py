"""Approving, on evidence, a mandate that waits for the people's consent.

After the people withdrew a mandate, the organisation's new one gives no rights until
the people confirm it with the code sent to their phone, or until a supervisor of the
mechanism approves it here, saying what shows the people agree. The rules live in
:mod:`remedy.proxy.mandate_consent`.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.console.case_acting import ROW_ID, act
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.models.grievance import Grievance
from remedy.models.user import Role
from remedy.proxy import mandate_consent


@bp.post(f"/grievances/<reference>/mandates/<{ROW_ID}:mandate_id>/approve")
@roles_required(Role.SUPERVISOR)
def approve_mandate(reference: str, mandate_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        mandate = mandate_consent.pending_mandate(grievance, mandate_id)
        mandate_consent.approve_mandate(actor, mandate, request.form.get("evidence", ""))
        return _("Approved. The organisation may act for the people under this mandate.")

    return act(reference, f"mandate-{mandate_id}", run, f"#mandate-{mandate_id}")

"""Identity in the console: reveal requests (ask with a reason, a second person decides)
and the people's answers, per organisation, recorded when given another way.

The rules live in :mod:`remedy.identity.reveals` and :mod:`remedy.identity.consents`;
these views only read the form, call the service, and show the case again.
"""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.console.case_acting import ROW_ID, act
from remedy.console.views import NAV, NavLink, bp, current_actor
from remedy.core.actors import Actor
from remedy.core.errors import ConflictError, InvalidInput
from remedy.core.references import display
from remedy.identity import consents as identity_consents
from remedy.identity import reveals as identity_reveals
from remedy.models.grievance import Grievance
from remedy.models.user import Role

DECIDERS = (Role.PROTECTION_OFFICER, Role.SUPERVISOR)
NAV.append(
    NavLink("reveals", _l("Identity requests"), "console.identity_reveal_requests", roles=DECIDERS)
)


@bp.post("/grievances/<reference>/identity-reveals")
@roles_required(Role.PROTECTION_OFFICER)
def request_reveal(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        identity_reveals.request_reveal(actor, grievance, request.form.get("reason", ""))
        return _("Your request is waiting for a second person's decision.")

    return act(reference, "reveal-request", run, "#people")


@bp.post(f"/grievances/<reference>/identity-reveals/<{ROW_ID}:reveal_id>")
@roles_required(*DECIDERS)
def decide_reveal(reference: str, reveal_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        reveal = identity_reveals.get_reveal(grievance, reveal_id)
        decision = request.form.get("decision")
        if decision not in ("approve", "refuse"):
            raise InvalidInput(_("Approve or refuse the request."), "decision")
        shown = request.form.get("reveal_version", "")
        if not shown.isdigit():
            raise ConflictError("the request changed since it was shown")
        identity_reveals.decide_reveal(
            actor,
            reveal,
            approve=decision == "approve",
            note=request.form.get("note"),
            expected_version=int(shown),
        )
        if decision == "approve":
            return _("Approved. The requester sees the identity for a limited time.")
        return _("Refused. The identity stays hidden.")

    return act(reference, f"reveal-{reveal_id}", run, f"#reveal-{reveal_id}")


@bp.post(f"/grievances/<reference>/identity-consents/<{ROW_ID}:consent_id>")
@roles_required(Role.PROTECTION_OFFICER)
def record_consent(reference: str, consent_id: int) -> Response | tuple[str, int]:
    """The people said yes or no to an organisation another way: in person, by letter."""

    def run(actor: Actor, grievance: Grievance) -> str:
        consent = identity_consents.get_consent(grievance, consent_id)
        answer = request.form.get("answer")
        if answer not in ("yes", "no"):
            raise InvalidInput(_("Record yes or no."), "answer")
        shown = request.form.get("consent_version", "")
        if not shown.isdigit():
            raise ConflictError("the answer changed since it was shown")
        identity_consents.record_for_people(
            actor, consent, answer == "yes", request.form.get("note", ""), int(shown)
        )
        return _("The people's answer is recorded.")

    return act(reference, f"consent-{consent_id}", run, f"#consent-{consent_id}")


@bp.route("/identity-reveals")
@roles_required(*DECIDERS)
def identity_reveal_requests() -> str:
    """Requests waiting for a second person, for those who may decide them."""
    actor = current_actor()
    pending = identity_reveals.pending_for(actor)
    return render_template(
        "console/case_reveal_requests.html",
        pending=pending,
        display=display,
    )

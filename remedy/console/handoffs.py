"""Hand-offs from the case page: the people's consent to share their file with the body a
referral went to, the body's news, the export pack (printable HTML or JSON), and the
State actors involved (the panels: ``case_handoffs``). The rules live in
:mod:`remedy.cases.handoffs`, :mod:`remedy.cases.referral_pack` and
:mod:`remedy.cases.state_actors`; these views read the forms and call them.
"""

from __future__ import annotations

from flask import abort, json, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import handoffs, state_actors
from remedy.cases.referral_pack import make_pack, render_pack
from remedy.cases.sensitive import may_read_contents
from remedy.console import case_forms
from remedy.console.case import find_case
from remedy.console.case_acting import ROW_ID, WORKERS, act
from remedy.console.views import STAFF, bp, current_actor
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.identity.visibility import may_see_identity
from remedy.models.grievance import Grievance
from remedy.models.identity_consent import ConsentVia
from remedy.models.referral import Referral, ReferralUpdateKind
from remedy.models.state_actor import StateActorKind


def _referral(actor: Actor, grievance: Grievance, referral_id: int) -> Referral:
    referral = handoffs.find_referral(actor, referral_id)
    if referral.grievance_id != grievance.id:
        abort(404)
    return referral


@bp.post(f"/grievances/<reference>/referrals/<{ROW_ID}:referral_id>/consent")
@roles_required(*WORKERS)
def referral_consent(reference: str, referral_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        referral = _referral(actor, grievance, referral_id)
        answer = request.form.get("consent", "")
        if answer not in ("yes", "no"):
            raise InvalidInput(_("Choose one of the listed options."), "consent")
        via = case_forms.choice(ConsentVia, request.form.get("via", ""), "via")
        shared = request.form.get("shared", "").strip() or None
        handoffs.record_consent(actor, referral, answer == "yes", via, shared)
        return _("The people's answer about sharing their file is recorded.")

    return act(reference, f"referral-{referral_id}-consent", run, f"#referral-{referral_id}")


@bp.post(f"/grievances/<reference>/referrals/<{ROW_ID}:referral_id>/updates")
@roles_required(*WORKERS)
def referral_update(reference: str, referral_id: int) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        referral = _referral(actor, grievance, referral_id)
        kind = case_forms.choice(ReferralUpdateKind, request.form.get("kind", ""), "kind")
        handoffs.record_update(actor, referral, kind, request.form.get("text", ""))
        return _("The news of the referral is recorded.")

    return act(reference, f"referral-{referral_id}-update", run, f"#referral-{referral_id}")


@bp.get(f"/grievances/<reference>/referrals/<{ROW_ID}:referral_id>/pack")
@roles_required(*STAFF)
def referral_pack(reference: str, referral_id: int) -> Response:
    """Printable HTML (print or save as PDF from the browser); ``?format=json`` for JSON.
    Each pack made is audited."""
    actor = current_actor()
    grievance = find_case(actor, reference)
    referral = _referral(actor, grievance, referral_id)
    as_json = request.args.get("format") == "json"
    pack = make_pack(
        actor, referral, may_see_identity(actor, grievance), may_read_contents(actor, grievance)
    )
    name = f"referral-{referral.id}-pack"
    if as_json:
        body, mimetype, name = json.dumps(pack, indent=2), "application/json", name + ".json"
    else:
        body, mimetype, name = render_pack(pack), "text/html", name + ".html"
    response = Response(body, mimetype=mimetype)
    disposition = "attachment" if as_json else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/grievances/<reference>/state-actors")
@roles_required(*WORKERS)
def record_state_actor(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        state_actors.check_may_record(actor)
        case_forms.check_version(grievance, request.form)
        kind = case_forms.choice(StateActorKind, request.form.get("kind", ""), "kind")
        state_actors.record_state_actor(
            actor, grievance, kind, request.form.get("name", ""), request.form.get("conduct", "")
        )
        return _("The State actor is recorded.")

    return act(reference, "state-actor", run, "#state-actors")

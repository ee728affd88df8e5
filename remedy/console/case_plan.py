"""A track's work from the case page: its remedy plan (actions added, delivered or
cancelled), leverage on the parties that caused the harm, reclassifying it, and asking
the affected people again whether the remedy reached them."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import check_ins, tracks
from remedy.console import case_forms
from remedy.console.case_acting import ROW_ID, WORKERS, act_on_action, act_on_track
from remedy.console.views import bp
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.filing import later_files
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.leverage_action import LeverageAction, LeverageStatus
from remedy.models.remedy_action import RemedyAction


@bp.post(f"/grievances/<reference>/tracks/<{ROW_ID}:track_id>/remedy-actions")
@roles_required(*WORKERS)
def add_remedy_action(reference: str, track_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, track: InvolvementTrack) -> str:
        plan = case_forms.remedy_action(request.form, "new")
        if plan is None:
            raise InvalidInput(_("Describe the remedy action."), "new-description")
        tracks.add_remedy_action(actor, track, plan)
        return _("The remedy action was added to the plan.")

    return act_on_track(reference, track_id, "add-action", work)


@bp.post(f"/grievances/<reference>/remedy-actions/<{ROW_ID}:action_id>/delivered")
@roles_required(*WORKERS)
def deliver_remedy_action(reference: str, action_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, action: RemedyAction) -> str:
        uploads = [
            later_files.Upload(item.filename, item.read())
            for item in request.files.getlist("evidence_files")
            if item.filename
        ]
        later_files.deliver_with_evidence(actor, action, request.form.get("evidence", ""), uploads)
        return _("The action was reported delivered.")

    return act_on_action(reference, RemedyAction, action_id, "deliver", work)


@bp.post(f"/grievances/<reference>/remedy-actions/<{ROW_ID}:action_id>/cancel")
@roles_required(*WORKERS)
def cancel_remedy_action(reference: str, action_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, action: RemedyAction) -> str:
        tracks.cancel_remedy_action(actor, action)
        return _("The action was cancelled.")

    return act_on_action(reference, RemedyAction, action_id, "cancel", work)


@bp.post(f"/grievances/<reference>/tracks/<{ROW_ID}:track_id>/leverage-actions")
@roles_required(*WORKERS)
def add_leverage_action(reference: str, track_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, track: InvolvementTrack) -> str:
        plan = case_forms.leverage_action(request.form, "new-leverage")
        if plan is None:
            raise InvalidInput(_("Describe the leverage action."), "new-leverage-description")
        tracks.add_leverage_action(actor, track, plan)
        return _("The leverage action was added.")

    return act_on_track(reference, track_id, "add-leverage", work)


@bp.post(f"/grievances/<reference>/leverage-actions/<{ROW_ID}:action_id>/done")
@roles_required(*WORKERS)
def complete_leverage_action(reference: str, action_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, action: LeverageAction) -> str:
        if action.status is not LeverageStatus.PLANNED:
            raise InvalidInput(_("This leverage action is already done."), "result")
        tracks.complete_leverage(actor, action, request.form.get("result", ""))
        return _("The leverage action was recorded as done.")

    return act_on_action(reference, LeverageAction, action_id, "done", work)


@bp.post(f"/grievances/<reference>/tracks/<{ROW_ID}:track_id>/reclassify")
@roles_required(*WORKERS)
def reclassify_track(reference: str, track_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, track: InvolvementTrack) -> str:
        kind = case_forms.choice(TrackKind, request.form.get("kind", ""), "kind")
        tracks.reclassify(
            actor,
            track,
            kind,
            request.form.get("rationale", ""),
            request.form.get("explanation") or None,
            case_forms.in_languages(request.form, "explanation"),
        )
        return _("The track was reclassified.")

    return act_on_track(reference, track_id, "reclassify", work)


@bp.post(f"/grievances/<reference>/tracks/<{ROW_ID}:track_id>/check-ins")
@roles_required(*WORKERS)
def open_check_in(reference: str, track_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, track: InvolvementTrack) -> str:
        check_ins.open_check_in(actor, track)
        return _("The affected people were asked again.")

    return act_on_track(reference, track_id, "check-in", work)

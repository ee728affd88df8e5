"""Acting on a case from its page: every POST calls one service.

On success the page says what happened and shows the case again (Post/Redirect/Get); a
refusal (a guard, a missing field, a version conflict) shows the page again with the
form open, what was typed, and a clear message, with nothing changed. ``act`` and its
track and action variants are the machinery the case's other forms share (``case_plan``,
``identity``); the workflow's triggers, notes, replies and assignment post here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import notes, replies
from remedy.console import case_forms
from remedy.console.case import FormState, find_case, render_case
from remedy.console.views import bp, current_actor
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound, ServiceError
from remedy.core.extensions import db
from remedy.identity.visibility import may_change, visible_tracks
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.leverage_action import LeverageAction
from remedy.models.remedy_action import RemedyAction
from remedy.models.types import MAX_ROW_ID
from remedy.models.user import Role
from remedy.queue import assignment
from remedy.workflows import workflow_for

WORKERS = (Role.SUPERVISOR, Role.HANDLER, Role.PROTECTION_OFFICER)
# Row ids in URLs: a larger number cannot name a row (and would overflow PostgreSQL's integer).
ROW_ID = f"int(max={MAX_ROW_ID})"
AnyAction = TypeVar("AnyAction", RemedyAction, LeverageAction)


def act(
    reference: str,
    key: str,
    action: Callable[[Actor, Grievance], str],
    anchor: str = "",
) -> Response | tuple[str, int]:
    """Run ``action``; on success say what happened and show the case again (Post/Redirect/Get);
    on a refusal show the page with this form open, what was typed, and why."""
    actor = current_actor()
    grievance = find_case(actor, reference)
    if not may_change(actor):
        abort(403)
    try:
        done = action(actor, grievance)
    except ServiceError as error:  # a conflict too: it says so in the person's language
        db.session.rollback()
        return _failed(actor, reference, key, str(error), error.field, error.status)
    flash(done, "success")
    return redirect(url_for("console.case", reference=grievance.reference) + anchor)


def _failed(
    actor: Actor, reference: str, key: str, message: str, field: str | None, status: int
) -> tuple[str, int]:
    grievance = find_case(actor, reference)  # as it is now, after the rollback
    state = FormState(key, message, field, request.form)
    return render_case(actor, grievance, status, form=state)


def _track(actor: Actor, grievance: Grievance, track_id: int) -> InvolvementTrack:
    for track in visible_tracks(actor, grievance):
        if track.id == track_id:
            return track
    raise NotFound(_("There is no such track on this case."))


def _action(
    actor: Actor, grievance: Grievance, model: type[AnyAction], action_id: int
) -> AnyAction:
    action = db.session.get(model, action_id)
    if action is None:
        raise NotFound(_("There is no such action on this case."))
    _track(actor, grievance, action.track_id)
    return action


def act_on_track(
    reference: str, track_id: int, key: str, work: Callable[[Actor, InvolvementTrack], str]
) -> Response | tuple[str, int]:
    """``act`` on one visible track of the case, once the form's version still matches."""

    def run(actor: Actor, grievance: Grievance) -> str:
        track = _track(actor, grievance, track_id)
        case_forms.check_version(grievance, request.form)
        return work(actor, track)

    return act(reference, f"track-{track_id}-{key}", run, f"#track-{track_id}")


def act_on_action(
    reference: str,
    model: type[AnyAction],
    action_id: int,
    key: str,
    work: Callable[[Actor, AnyAction], str],
) -> Response | tuple[str, int]:
    """``act`` on one remedy or leverage action of a visible track, version checked."""
    prefix = "action" if model is RemedyAction else "leverage"

    def run(actor: Actor, grievance: Grievance) -> str:
        action = _action(actor, grievance, model, action_id)
        case_forms.check_version(grievance, request.form)
        return work(actor, action)

    return act(reference, f"{prefix}-{action_id}-{key}", run, f"#{prefix}-{action_id}")


def _done(transition_label: str) -> str:
    return _("Done: %(step)s.", step=transition_label)


# Triggers --------------------------------------------------------------------------------


@bp.post("/grievances/<reference>/triggers/<trigger>")
@roles_required(*WORKERS)
def case_trigger(reference: str, trigger: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        case_forms.perform(actor, grievance, trigger, request.form)
        return _done(_trigger_label(grievance, trigger))

    return act(reference, f"trigger-{trigger}", run, "#actions")


@bp.post(f"/grievances/<reference>/tracks/<{ROW_ID}:track_id>/triggers/<trigger>")
@roles_required(*WORKERS)
def track_trigger(reference: str, track_id: int, trigger: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        track = _track(actor, grievance, track_id)
        label = _trigger_label(track, trigger)
        case_forms.perform(actor, track, trigger, request.form)
        return _done(label)

    return act(reference, f"track-{track_id}-trigger-{trigger}", run, f"#track-{track_id}")


def _trigger_label(subject: Grievance | InvolvementTrack, trigger: str) -> str:
    for item in workflow_for(subject).transitions:
        if item.trigger == trigger:
            return str(item.label)
    return trigger


# Notes and replies -----------------------------------------------------------------------


@bp.post("/grievances/<reference>/notes")
@roles_required(*WORKERS)
def add_note(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        notes.add_note(actor, grievance, request.form.get("note", ""))
        return _("The note was saved. It is never sent to anyone.")

    return act(reference, "note", run, "#notes")


@bp.post("/grievances/<reference>/replies")
@roles_required(*WORKERS)
def reply(reference: str) -> Response | tuple[str, int]:
    """``Preview`` shows the text and its SMS segments; ``Send`` queues it."""
    actor = current_actor()
    template = request.form.get("template") or None
    body = request.form.get("body")
    if request.form.get("action") == "preview":
        grievance = find_case(actor, reference)
        if not replies.may_reply(actor, grievance):
            abort(403)
        try:
            shown = replies.preview(grievance, body, template)
        except InvalidInput as error:
            state = FormState("reply", str(error), error.field, request.form)
            return render_case(actor, grievance, 400, form=state)
        state = FormState("reply", None, None, {**request.form.to_dict(), "body": shown.body})
        return render_case(actor, grievance, 200, form=state, preview=shown)

    def run(actor: Actor, grievance: Grievance) -> str:
        # The same recipients the reply is queued for, at the same moment.
        reached = replies.reach(grievance)
        replies.send_reply(actor, grievance, body, template)
        return replies.sent_words(reached)

    return act(reference, "reply", run, "#reply")


@bp.post("/grievances/<reference>/assignment")
@roles_required(*WORKERS)
def assign(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        chosen = request.form.get("user_id", "")
        if chosen and (not chosen.isdigit() or int(chosen) > MAX_ROW_ID):
            raise InvalidInput(_("Choose one of the listed options."), "user_id")
        case_forms.check_version(grievance, request.form)
        assignment.assign(actor, grievance, int(chosen) if chosen else None)
        return _("The assignment was saved.")

    return act(reference, "assignment", run, "#assignment")

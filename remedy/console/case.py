"""The case page: everything about one grievance, and the work allowed on it now.

GET shows the case as far as the signed-in person may see it (an organisation's
staff see the shared summary and their own track; identities only where
``may_see_identity`` says so). Every POST calls one service; a refusal (a guard,
a missing field, a version conflict) shows the page again with the form open, what
was typed, and a clear message, with nothing changed. Auditors and administrators
get the page without any form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response

from remedy.auth.sessions import roles_required
from remedy.cases import check_ins, notes, policy, replies, tracks
from remedy.cases.referrals import directory
from remedy.cases.timeline import ANSWER_LABELS, timeline
from remedy.console import case_forms
from remedy.console.views import STAFF, bp, current_actor
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound, ServiceError
from remedy.core.extensions import db
from remedy.core.references import display, normalise
from remedy.identity import reveals as identity_reveals
from remedy.identity.visibility import (
    get_visible_grievance,
    may_change,
    may_see_identity,
    visible_tracks,
)
from remedy.models.grievance import Channel, Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.leverage_action import LeverageAction, LeverageStatus, LeverageType
from remedy.models.referral import Referral
from remedy.models.remedy_action import ActionOwner, ActionStatus, RemedyAction, RemedyType
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.queue import assignment
from remedy.workflows import workflow_for
from remedy.workflows.definition import Workflow

WORKERS = (Role.SUPERVISOR, Role.HANDLER, Role.PROTECTION_OFFICER)
# Row ids in URLs: a larger number cannot name a row (and would overflow PostgreSQL's integer).
ROW_ID = "int(max=2147483647)"
CHANNEL_TITLES: dict[Channel, LazyString] = {
    Channel.SMS: _l("SMS"),
    Channel.WHATSAPP: _l("WhatsApp"),
    Channel.VOICE: _l("Voice call"),
    Channel.WEB: _l("Web"),
    Channel.PROXY: _l("Through a proxy organisation"),
    Channel.API: _l("Another system (API)"),
}
# Who reads the identity reveal requests (and their reasons) on a case.
REVEAL_READERS = frozenset({Role.PROTECTION_OFFICER, Role.SUPERVISOR, Role.AUDITOR})
AnyAction = TypeVar("AnyAction", RemedyAction, LeverageAction)


def _overdue(due: datetime | None, flagged: datetime | None, now: datetime) -> bool:
    return flagged is not None or (due is not None and due < now)


@dataclass(frozen=True)
class DiagramState:
    name: str
    label: str
    current: bool
    ended: bool
    exits: list[tuple[str, str]]  # (trigger label, destination label)


def diagram(workflow: Workflow, current: str) -> list[DiagramState]:
    """The workflow as an ordered list of states with their way out; the current one marked."""
    labels = {state.name: str(state.label) for state in workflow.states}
    found = []
    for state in workflow.states:
        exits = list(
            dict.fromkeys(
                (str(item.label), labels[item.dest])
                for item in workflow.transitions
                if state.name in item.source and item.dest != state.name
            )
        )
        found.append(
            DiagramState(state.name, labels[state.name], state.name == current, state.ended, exits)
        )
    return found


@dataclass(frozen=True)
class PersonView:
    pseudonym: str
    role: str
    language: str
    receives_messages: bool
    name: str | None = None
    phone: str | None = None


def people(grievance: Grievance, identity: bool) -> list[PersonView]:
    views = []
    for link in grievance.people:
        person = link.person
        views.append(
            PersonView(
                pseudonym=person.pseudonym,
                role=_person_role(link),
                language=person.language,
                receives_messages=link.receives_messages,
                name=person.name if identity else None,
                phone=person.phone if identity else None,
            )
        )
    return views


def _person_role(link: GrievancePerson) -> str:
    return _("Complainant") if link.role.value == "complainant" else _("Affected person")


@dataclass
class FormState:
    """Which form failed, what was typed, and why: shown again with the page."""

    key: str | None = None
    message: str | None = None
    field: str | None = None
    values: Any = None

    def value(self, key: str, name: str, default: str = "") -> str:
        if self.key == key and self.values is not None:
            return str(self.values.get(name, default))
        return default


def _track_view(actor: Actor, track: InvolvementTrack, now: datetime) -> dict[str, Any]:
    workflow = workflow_for(track)
    open_track = not track.is_ended
    return {
        "track": track,
        "workflow": workflow,
        "state_label": str(workflow.state(track.state).label),
        "overdue": open_track and _overdue(track.due_at, track.overdue_at, now),
        "triggers": [
            (item, case_forms.fields_for(item, track)) for item in case_forms.offered(track, actor)
        ],
        # The same rules the use cases apply (remedy/cases/policy.py).
        "may_plan": policy.planning_refusal(actor, track) is None,
        "may_deliver": policy.delivery_refusal(actor, track) is None,
        "may_leverage": policy.leverage_refusal(actor, track) is None,
        "may_reclassify": policy.reclassify_refusal(actor, track) is None,
        "may_ask_again": policy.ask_again_refusal(actor, track) is None,
        "diagram": diagram(workflow, track.state),
        "check_ins": list(track.check_ins),
    }


def case_context(
    actor: Actor,
    grievance: Grievance,
    form: FormState | None = None,
    preview: replies.ReplyPreview | None = None,
) -> dict[str, Any]:
    now = utcnow()
    identity = may_see_identity(actor, grievance)
    reveal = (
        identity_reveals.active_reveal(actor, grievance) if grievance.identity_withheld else None
    )
    if identity and reveal is not None:
        identity_reveals.record_view(actor, grievance, reveal)
    shown_tracks = visible_tracks(actor, grievance)
    track_views = [_track_view(actor, track, now) for track in shown_tracks]
    workflow = workflow_for(grievance)
    grievance_triggers = [
        (item, case_forms.fields_for(item, grievance))
        for item in case_forms.offered(grievance, actor)
    ]
    needs_directory = any(
        spec.widget is case_forms.Widget.REFERRAL
        for _item, fields in grievance_triggers + [t for v in track_views for t in v["triggers"]]
        for spec in fields
    )
    needs_organisations = any(item.trigger == "classify" for item, _f in grievance_triggers)
    reads_reveals = actor.organisation_id is None and actor.role in REVEAL_READERS
    track_ids = {track.id for track in shown_tracks}
    referrals = [
        referral
        for referral in db.session.scalars(
            select(Referral).where(Referral.grievance_id == grievance.id).order_by(Referral.id)
        )
        if referral.track_id is None or referral.track_id in track_ids
    ]
    return {
        "grievance": grievance,
        "reference": display(grievance.reference),
        "actor": actor,
        "can_change": may_change(actor),
        "workflow": workflow,
        "state_label": str(workflow.state(grievance.state).label),
        "overdue": not grievance.is_ended and _overdue(grievance.due_at, grievance.overdue_at, now),
        "feedback_overdue": grievance.feedback_due_at is not None
        and grievance.feedback_due_at < now,
        "today": now.date(),
        "now": now,
        "people": people(grievance, identity),
        "identity_shown": identity,
        "reveal": reveal,
        "reveals": identity_reveals.reveals_for(grievance) if reads_reveals else [],
        "may_request_reveal": grievance.identity_withheld
        and identity_reveals.may_request(actor)
        and identity_reveals.pending_request(actor, grievance) is None
        and reveal is None,
        "may_decide_reveal": lambda item: identity_reveals.may_decide(actor, item),
        "grievance_triggers": grievance_triggers,
        "tracks": track_views,
        "referrals": referrals,
        "directory": directory() if needs_directory else [],
        "organisations": case_forms.classifiable_organisations() if needs_organisations else [],
        "timeline": timeline(actor, grievance),
        "notes": notes.notes_for(actor, grievance),
        "may_note": may_change(actor) and notes.may_read_notes(actor, grievance),
        "may_reply": replies.may_reply(actor, grievance),
        "reply_templates": replies.REPLY_TEMPLATE_TITLES,
        "preview": preview,
        "assignment": assignment.case_assignment(actor, grievance),
        "diagram": diagram(workflow, grievance.state),
        "form": form or FormState(),
        "rows": range(case_forms.ROWS),
        "widgets": case_forms.Widget,
        "severity_parts": case_forms.SEVERITY_PARTS,
        "severity_levels": case_forms.SEVERITY_LEVELS,
        "owner_labels": case_forms.OWNER_LABELS,
        "remedy_types": list(RemedyType),
        "leverage_types": list(LeverageType),
        "track_kinds": list(TrackKind),
        "action_owners": list(ActionOwner),
        "planned": ActionStatus.PLANNED,
        "leverage_planned": LeverageStatus.PLANNED,
        "answer_labels": ANSWER_LABELS,
        "channel_label": str(CHANNEL_TITLES[grievance.channel]),
    }


def _render(actor: Actor, grievance: Grievance, status: int = 200, **extra: Any) -> tuple[str, int]:
    return render_template("console/case.html", **case_context(actor, grievance, **extra)), status


def find_case(actor: Actor, reference: str) -> Grievance:
    """The case, or 404: also for anything that cannot be a reference (a NUL byte, say)."""
    if not normalise(reference).isdigit():
        raise NotFound(_("There is no such case."))
    return get_visible_grievance(actor, reference)


@bp.route("/grievances/<reference>")
@roles_required(*STAFF)
def case(reference: str) -> str:
    actor = current_actor()
    grievance = find_case(actor, reference)
    return render_template("console/case.html", **case_context(actor, grievance))


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
    return _render(actor, grievance, status, form=state)


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


# Remedy plan and leverage ----------------------------------------------------------------


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
        tracks.report_delivered(actor, action, request.form.get("evidence", ""))
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
        tracks.reclassify(actor, track, kind, request.form.get("rationale", ""))
        return _("The track was reclassified.")

    return act_on_track(reference, track_id, "reclassify", work)


@bp.post(f"/grievances/<reference>/tracks/<{ROW_ID}:track_id>/check-ins")
@roles_required(*WORKERS)
def open_check_in(reference: str, track_id: int) -> Response | tuple[str, int]:
    def work(actor: Actor, track: InvolvementTrack) -> str:
        check_ins.open_check_in(actor, track)
        return _("The affected people were asked again.")

    return act_on_track(reference, track_id, "check-in", work)


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
            return _render(actor, grievance, 400, form=state)
        state = FormState("reply", None, None, {**request.form.to_dict(), "body": shown.body})
        return _render(actor, grievance, 200, form=state, preview=shown)

    def run(actor: Actor, grievance: Grievance) -> str:
        written = replies.send_reply(actor, grievance, body, template)
        return _("The reply is on its way (%(count)d messages).", count=len(written))

    return act(reference, "reply", run, "#reply")


@bp.post("/grievances/<reference>/assignment")
@roles_required(*WORKERS)
def assign(reference: str) -> Response | tuple[str, int]:
    def run(actor: Actor, grievance: Grievance) -> str:
        chosen = request.form.get("user_id", "")
        if chosen and (not chosen.isdigit() or int(chosen) > case_forms.MAX_ID):
            raise InvalidInput(_("Choose one of the listed options."), "user_id")
        case_forms.check_version(grievance, request.form)
        assignment.assign(actor, grievance, int(chosen) if chosen else None)
        return _("The assignment was saved.")

    return act(reference, "assignment", run, "#assignment")

"""The case page: everything about one grievance, and the work allowed on it now.

GET shows the case as far as the signed-in person may see it (an organisation's
staff see the shared summary and their own track; identities only where
``may_see_identity`` says so). The forms it shows post to ``case_acting`` (triggers,
notes, replies, assignment) and ``case_plan`` (a track's remedy plan and leverage),
which show this page again on a refusal (:class:`FormState`). Auditors and
administrators get the page without any form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from remedy.auth.sessions import roles_required
from remedy.cases import (
    consultations,
    incident_log,
    incident_view,
    notes,
    policy,
    protection,
    replies,
)
from remedy.cases.referrals import directory_for
from remedy.cases.sensitive import RESTRICTED_MARKER, may_read_contents
from remedy.cases.timeline import ANSWER_LABELS, timeline
from remedy.console import case_forms
from remedy.console.case_erasure import erasure_context
from remedy.console.case_handoffs import handoffs_context
from remedy.console.case_languages import languages_context
from remedy.console.case_pin_lock import pin_lock_context
from remedy.console.case_root_causes import root_causes_context
from remedy.console.case_technology import technology_context
from remedy.console.case_triage import triage_context
from remedy.console.queue import RISK_LABELS
from remedy.console.views import STAFF, bp, current_actor
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import NotFound
from remedy.core.extensions import db
from remedy.core.references import display, normalise
from remedy.filing import later_files
from remedy.identity import consents as identity_consents
from remedy.identity import reveals as identity_reveals
from remedy.identity.visibility import (
    get_visible_grievance,
    may_change,
    may_see_identity,
    may_see_reprisal_risk,
    visible_tracks,
)
from remedy.models.attachment import Attachment
from remedy.models.grievance import Channel, Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.involvement_track import InvolvementTrack, ProceedingKind, TrackKind
from remedy.models.leverage_action import LeverageStatus, LeverageType
from remedy.models.referral import MechanismKind, Referral
from remedy.models.remedy_action import ActionOwner, ActionStatus, RemedyType
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.proxy import mandate_consent
from remedy.queue import assignment
from remedy.voice import transcripts
from remedy.voice.recordings import pending_for as recordings_pending
from remedy.workflows import workflow_for
from remedy.workflows.definition import Workflow

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


def attachments_of(grievance: Grievance) -> list[Attachment]:
    """Without their content: a list never loads (and decrypts) the files. Proof of
    delivery is listed with its track's remedy plan instead, for those who see the track."""
    return list(
        db.session.scalars(
            select(Attachment)
            .where(Attachment.grievance_id == grievance.id, Attachment.remedy_action_id.is_(None))
            .order_by(Attachment.id)
        )
    )


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
    # When they sent STOP (to us, or to the provider, which then refused a message: 21610).
    opted_out_at: datetime | None = None


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
                opted_out_at=person.phone_opted_out_at,
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
    may_reply = replies.may_reply(actor, grievance)
    track_ids = {track.id for track in shown_tracks}
    incidents = incident_log.panel(actor, grievance)
    referrals = [
        referral
        for referral in db.session.scalars(
            select(Referral).where(Referral.grievance_id == grievance.id).order_by(Referral.id)
        )
        if (referral.track_id is None or referral.track_id in track_ids)
        # A referral to protection is a measure against reprisal: for those who see incidents.
        and (referral.mechanism.kind is not MechanismKind.PROTECTION or incidents.visible)
    ]
    contents = may_read_contents(actor, grievance)
    return {
        "grievance": grievance,
        "reference": display(grievance.reference),
        "may_read_contents": contents,
        "restricted_marker": RESTRICTED_MARKER,
        "attachments": attachments_of(grievance),
        "evidence_files": later_files.evidence_files(grievance),
        "max_evidence_files": later_files.MAX_EVIDENCE_FILES,
        "max_file_megabytes": later_files.MAX_MEGABYTES,
        # Call recordings still at Twilio: the worker has not fetched them yet.
        "recordings_pending": recordings_pending(grievance.id),
        "recordings": transcripts.recordings_of(grievance) if contents else [],
        "may_hear": transcripts.may_hear(actor, grievance),
        "may_transcribe": transcripts.may_transcribe(actor, grievance),
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
        **erasure_context(actor, grievance),
        **triage_context(actor, grievance),
        **root_causes_context(actor, grievance),
        **technology_context(actor, grievance),
        **handoffs_context(actor, grievance),
        **languages_context(actor, grievance, shown_tracks),
        **pin_lock_context(actor, grievance),
        "consents": identity_consents.shown_to(actor, grievance),
        "may_record_consent": identity_consents.may_record(actor) and may_change(actor),
        "hidden_from_organisation": identity_consents.hidden_from_organisation(actor, grievance),
        "pending_mandates": mandate_consent.awaiting_approval(actor, grievance),
        # How proxies consulted the people on group decisions: the mechanism's team only.
        "consultations": consultations.consultations_of(grievance)
        if actor.kind is ActorKind.STAFF and actor.organisation_id is None
        else [],
        "may_change_risk": protection.may_change_reprisal_risk(actor, grievance),
        "may_see_risk": may_see_reprisal_risk(actor),
        "risk_choices": [(risk.value, label) for risk, label in RISK_LABELS.items()],
        "incident_panel": incidents,
        "linked_incident": incident_view.case_panel(actor, grievance),
        "display": display,
        "grievance_triggers": grievance_triggers,
        "tracks": track_views,
        "referrals": referrals,
        "directory": directory_for(grievance) if needs_directory else ([], []),
        "organisations": case_forms.classifiable_organisations() if needs_organisations else [],
        "timeline": timeline(actor, grievance),
        "notes": notes.notes_for(actor, grievance),
        "may_note": may_change(actor) and notes.may_read_notes(actor, grievance),
        "may_reply": may_reply,
        "reply_reach": replies.reach(grievance) if may_reply else [],
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
        "proceeding_kinds": [(kind.value, kind.label) for kind in ProceedingKind],
        "action_owners": list(ActionOwner),
        "planned": ActionStatus.PLANNED,
        "leverage_planned": LeverageStatus.PLANNED,
        "answer_labels": ANSWER_LABELS,
        "channel_label": str(CHANNEL_TITLES[grievance.channel]),
    }


def render_case(
    actor: Actor, grievance: Grievance, status: int = 200, **extra: Any
) -> tuple[str, int]:
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

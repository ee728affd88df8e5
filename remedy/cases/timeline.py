"""A case's history as one list: messages, events, check-in answers, added information, notes.

Each source is also available alone (the JSON API lists them separately), and each is
cut to what the actor may see: an organisation's staff see the shared events and
their own track's, never another track's, the mechanism's internal notes or identity
reveals; console alerts are for staff only; a proxy sees the messages of the people it
represents. Six queries whatever the length of the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, or_, select, true

from remedy.cases import consultations
from remedy.cases.event_labels import event_label
from remedy.cases.notes import notes_for
from remedy.cases.reprisal_incidents import may_see_incidents
from remedy.cases.sensitive import RESTRICTED_MARKER, may_read_contents
from remedy.core.actors import Actor, ActorKind
from remedy.core.extensions import db
from remedy.identity.visibility import may_see_grievance, visible_tracks
from remedy.messaging.delivery_words import DeliveryView, delivery_of
from remedy.messaging.templates import PROTECTION_TEMPLATES
from remedy.models.added_information import AddedInformation
from remedy.models.audit_event import AuditEvent
from remedy.models.check_in import Answer, CheckIn
from remedy.models.grievance import Grievance
from remedy.models.mandate import Mandate
from remedy.models.outbox_message import MessageChannel, OutboxMessage
from remedy.models.user import User
from remedy.workflows import WORKFLOWS

# Events an organisation's staff do not see: the mechanism's own protective work (a changed
# reprisal risk included: an accused organisation must not learn that people fear it; nor
# why they withdrew, which may be that fear).
MECHANISM_ONLY_PREFIXES = (
    "identity.",
    "note.",
    "protection.",
    "grievance.reprisal_risk",
    "grievance.withdrawal_reason",
)
# Reprisal incidents and their measures: only for those who see incidents.
PROTECTION_PREFIX = "protection."
# Nor who speaks for the people (an NGO's mandate): a company accused must not learn it.
MANDATE_PREFIXES = ("mandate.", "consultation.")

CHANNEL_LABELS: dict[MessageChannel, LazyString] = {
    MessageChannel.SMS: _l("SMS"),
    MessageChannel.WHATSAPP: _l("WhatsApp"),
    MessageChannel.VOICE: _l("Voice"),
    MessageChannel.WEB: _l("Web status page"),
    MessageChannel.CONSOLE: _l("Console alert"),
}

ANSWER_LABELS: dict[Answer, LazyString] = {
    Answer.YES: _l("yes"),
    Answer.PARTLY: _l("partly"),
    Answer.NO: _l("no"),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # message, event, check_in, information, note
    title: str
    detail: str | None = None
    by: str | None = None
    track_id: int | None = None
    # Messages only: where it stands ("failed: phone unreachable or switched off"), and the
    # language it was written in (the person's, not the reader's: marked so on the page).
    delivery: DeliveryView | None = None
    language: str | None = None


def _mandated(actor: Actor, grievance: Grievance) -> tuple[bool, set[int]]:
    """Whether the proxy's organisation speaks for everyone, and for which people otherwise."""
    rows = db.session.scalars(
        select(Mandate.person_id).where(
            Mandate.grievance_id == grievance.id, Mandate.organisation_id == actor.organisation_id
        )
    ).all()
    return any(person_id is None for person_id in rows), {p for p in rows if p is not None}


def organisation_staff_messages(actor: Actor, grievance: Grievance) -> ColumnElement[bool]:
    """What an organisation's staff read of a case's messages: its own track's and the
    shared ones (about no track), never another track's, never what went to another
    organisation (an NGO holding a mandate), console alerts only to its own staff."""
    own_tracks = [track.id for track in visible_tracks(actor, grievance)]
    own_staff = select(User.id).where(User.organisation_id == actor.organisation_id)
    about_own_track = or_(OutboxMessage.track_id.is_(None), OutboxMessage.track_id.in_(own_tracks))
    not_to_others = or_(
        OutboxMessage.organisation_id.is_(None),
        OutboxMessage.organisation_id == actor.organisation_id,
    )
    # What the people were told after a reprisal incident says measures were taken.
    not_protection = OutboxMessage.template.not_in(PROTECTION_TEMPLATES)
    return or_(
        and_(OutboxMessage.channel == MessageChannel.CONSOLE, OutboxMessage.user_id.in_(own_staff)),
        and_(
            OutboxMessage.channel != MessageChannel.CONSOLE,
            about_own_track,
            not_to_others,
            not_protection,
        ),
    )


def team_messages(actor: Actor, grievance: Grievance) -> ColumnElement[bool]:
    """What the mechanism's own team reads of a case's messages: all of them, but what the
    people were told after a reprisal incident only if they see incidents."""
    if may_see_incidents(actor, grievance):
        return true()
    return OutboxMessage.template.not_in(PROTECTION_TEMPLATES)


def messages_for(actor: Actor, grievance: Grievance) -> list[OutboxMessage]:
    """Outbox rows of this grievance the actor may read, oldest first."""
    if not may_see_grievance(actor, grievance):
        return []
    query = select(OutboxMessage).where(OutboxMessage.grievance_id == grievance.id)
    if actor.kind is ActorKind.STAFF and actor.organisation_id is not None:
        query = query.where(organisation_staff_messages(actor, grievance))
    elif actor.kind is ActorKind.STAFF:
        query = query.where(team_messages(actor, grievance))
    else:
        query = query.where(OutboxMessage.channel != MessageChannel.CONSOLE)
        if actor.kind is ActorKind.PROXY:
            everyone, people = _mandated(actor, grievance)
            shown: list[ColumnElement[bool]] = [
                OutboxMessage.organisation_id == actor.organisation_id
            ]
            if everyone:
                shown.append(OutboxMessage.person_id.is_not(None))
            elif people:
                shown.append(OutboxMessage.person_id.in_(people))
            query = query.where(or_(*shown))
    return list(db.session.scalars(query.order_by(OutboxMessage.created_at, OutboxMessage.id)))


def audit_events_for(actor: Actor, grievance: Grievance) -> list[AuditEvent]:
    """Events about the grievance and the tracks the actor may see, in chain order."""
    if not may_see_grievance(actor, grievance):
        return []
    track_ids = [str(track.id) for track in visible_tracks(actor, grievance)]
    subjects = [
        and_(AuditEvent.subject_type == "grievance", AuditEvent.subject_id == grievance.reference)
    ]
    if track_ids:
        subjects.append(
            and_(AuditEvent.subject_type == "track", AuditEvent.subject_id.in_(track_ids))
        )
    query = select(AuditEvent).where(or_(*subjects))
    hidden: tuple[str, ...] = ()
    if actor.kind is ActorKind.STAFF and actor.organisation_id is not None:
        hidden = MECHANISM_ONLY_PREFIXES + MANDATE_PREFIXES
    elif actor.kind is not ActorKind.STAFF:
        hidden = MECHANISM_ONLY_PREFIXES
    elif not may_see_incidents(actor, grievance):
        hidden = (PROTECTION_PREFIX,)
    for prefix in hidden:
        query = query.where(AuditEvent.action.not_like(f"{prefix}%"))
    return list(db.session.scalars(query.order_by(AuditEvent.seq)))


def check_ins_for(actor: Actor, grievance: Grievance) -> list[CheckIn]:
    """Check-ins of the visible tracks (answered or not), oldest first."""
    if not may_see_grievance(actor, grievance):
        return []
    found = [c for track in visible_tracks(actor, grievance) for c in track.check_ins]
    return sorted(found, key=lambda check_in: (check_in.opens_at, check_in.id))


def added_information_for(actor: Actor, grievance: Grievance) -> list[AddedInformation]:
    if not may_see_grievance(actor, grievance):
        return []
    return list(
        db.session.scalars(
            select(AddedInformation)
            .where(AddedInformation.grievance_id == grievance.id)
            .order_by(AddedInformation.added_at, AddedInformation.id)
        )
    )


def _actor_names(events: Iterable[AuditEvent]) -> dict[str, str]:
    """Staff by their work e-mail (their login, kept in clear); never people's names."""
    staff = [e.actor_id or "" for e in events if e.actor_kind == "staff"]
    ids = {int(actor_id) for actor_id in staff if actor_id.isdigit()}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(ids))).all()
    return {str(user_id): email for user_id, email in rows}


def actor_label(kind: str, actor_id: str | None, names: dict[str, str]) -> str:
    if kind == "staff" and actor_id in names:
        return names[actor_id]
    labels = {
        "complainant": _("Complainant"),
        "proxy": _("Proxy"),
        "system": _("Remedy"),
        "operator": _("Operator"),
        "staff": _("Staff"),
    }
    return labels.get(kind, kind)


def _track_of(event: AuditEvent) -> int | None:
    if event.subject_type == "track" and (event.subject_id or "").isdigit():
        return int(str(event.subject_id))
    return None


def timeline(actor: Actor, grievance: Grievance) -> list[TimelineEntry]:
    """Everything that happened on the case, newest first."""
    entries: list[TimelineEntry] = []
    pseudonyms = {link.person_id: link.person.pseudonym for link in grievance.people}
    for message in messages_for(actor, grievance):
        to = pseudonyms.get(message.person_id or -1) or _("the team")
        entries.append(
            TimelineEntry(
                message.created_at,
                "message",
                _(
                    "Message to %(recipient)s (%(channel)s)",
                    recipient=to,
                    channel=str(CHANNEL_LABELS[message.channel]),
                ),
                message.body_for_staff,
                delivery=delivery_of(message),
                language=message.language,
            )
        )
    # What the people tell about a sensitive case is as restricted as its description.
    contents = may_read_contents(actor, grievance)
    events = audit_events_for(actor, grievance)
    names = _actor_names(events)
    for event in events:
        entries.append(
            TimelineEntry(
                event.occurred_at,
                "event",
                event_label(event.action),
                _withdrawal(event, grievance, contents)
                or _state_change(event)
                or _consultation(event),
                actor_label(event.actor_kind, event.actor_id, names),
                _track_of(event),
            )
        )
    for check_in in check_ins_for(actor, grievance):
        if check_in.response is None:
            continue
        who = check_in.person.pseudonym if check_in.person else _("the proxy")
        response = check_in.response
        entries.append(
            TimelineEntry(
                response.answered_at,
                "check_in",
                _(
                    "Check-in answer from %(who)s: %(answer)s",
                    who=who,
                    answer=str(ANSWER_LABELS[response.answer]),
                ),
                _told(response.comment, contents),
                track_id=check_in.track_id,
            )
        )
    for added in added_information_for(actor, grievance):
        text = _told(added.text, contents)
        entries.append(TimelineEntry(added.added_at, "information", _("Information added"), text))
    for note in notes_for(actor, grievance):
        entries.append(
            TimelineEntry(note.created_at, "note", _("Internal note"), note.text, note.author.email)
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _told(text: str | None, contents: bool) -> str | None:
    """What the people wrote, or the restricted marker for a reader not cleared for it."""
    if text is None or contents:
        return text
    return str(RESTRICTED_MARKER)


def _withdrawal(event: AuditEvent, grievance: Grievance, contents: bool) -> str | None:
    """Why the people withdrew: the reason chosen, then their words (restricted like theirs)."""
    if event.action != "grievance.withdrawal_reason":
        return None
    reason = grievance.withdrawal_reason
    parts = [reason.label if reason else _("No reason chosen")]
    if grievance.withdrawal_note:
        parts.append(_told(grievance.withdrawal_note, contents) or "")
    return " · ".join(parts)


def _consultation(event: AuditEvent) -> str | None:
    """How a proxy consulted the people, in the reader's language (never the notes)."""
    if event.action != consultations.RECORD_ACTION or not event.after:
        return None
    return consultations.describe(event.after)


def _state_change(event: AuditEvent) -> str | None:
    """ "Screening → Assessment" for workflow triggers, in the reader's language."""
    before = (event.before or {}).get("state")
    after = (event.after or {}).get("state")
    workflow = WORKFLOWS.get(event.action.partition(".")[0])
    if not before or not after or before == after or workflow is None:
        return None
    names = {state.name: str(state.label) for state in workflow.states}
    return f"{names.get(before, before)} → {names.get(after, after)}"

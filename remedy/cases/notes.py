"""Internal notes on a case: the team's own record, never sent to the people concerned.

Mechanism staff read every note; staff of an organisation involved (a joint
mechanism) read and write only their organisation's notes, so neither side's
deliberations leak to the other. Adding a note is audited (the event names the
note, never its text).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_change, may_see_grievance
from remedy.models.grievance import Grievance
from remedy.models.internal_note import InternalNote

MAX_NOTE = 5000


def may_read_notes(actor: Actor, grievance: Grievance) -> bool:
    return actor.kind is ActorKind.STAFF and may_see_grievance(actor, grievance)


def notes_for(actor: Actor, grievance: Grievance) -> list[InternalNote]:
    if not may_read_notes(actor, grievance):
        return []
    query = select(InternalNote).where(InternalNote.grievance_id == grievance.id)
    if actor.organisation_id is not None:
        query = query.where(InternalNote.author_organisation_id == actor.organisation_id)
    return list(db.session.scalars(query.order_by(InternalNote.created_at, InternalNote.id)))


@transactional
def add_note(actor: Actor, grievance: Grievance, text: str) -> InternalNote:
    if not may_read_notes(actor, grievance) or not may_change(actor) or actor.user_id is None:
        raise NotAllowed(_("You may not do this on this case."))
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput(_("Write the note first."), "note")
    if len(cleaned) > MAX_NOTE:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_NOTE), "note")
    note = InternalNote(
        grievance_id=grievance.id,
        author_user_id=actor.user_id,
        author_organisation_id=actor.organisation_id,
        text=cleaned,
    )
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "note.add", "grievance", grievance.reference, after={"note_id": note.id})
    return note

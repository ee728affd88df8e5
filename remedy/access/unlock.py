"""The team lifts a reference's PIN lock, with the person in front of them.

For someone without a phone on file who also lost the receipt's recovery code: they
come to the team (an office, an outreach visit) or to the NGO that filed for them, who
checks who they are in person and lifts the lock. The lock's streak goes too: the
person is back in, and a guesser starts again from the shortest lock. Only the
mechanism's own staff may, never an organisation's (the accused could lift locks that
protect the people who complain about it). The reason is an internal note, encrypted;
the audit event says who, when, and which note.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.free_text import required_text
from remedy.core.unit_of_work import transactional
from remedy.models.grievance import Grievance
from remedy.models.internal_note import InternalNote
from remedy.models.pin_lockout import PinLockout
from remedy.models.types import utcnow
from remedy.models.user import Role

UNLOCKERS = frozenset({Role.HANDLER, Role.SUPERVISOR, Role.PROTECTION_OFFICER})
MAX_REASON = 2000


def may_unlock(actor: Actor) -> bool:
    """The mechanism's handlers, supervisors and protection officers."""
    return (
        actor.kind is ActorKind.STAFF and actor.organisation_id is None and actor.role in UNLOCKERS
    )


def locked_until(grievance: Grievance, now: datetime | None = None) -> datetime | None:
    """When the reference's PIN lock ends, or None when it is not locked now."""
    lockout = db.session.get(PinLockout, grievance.reference)
    now = now or utcnow()
    if lockout is None or lockout.locked_until is None or lockout.locked_until <= now:
        return None
    return lockout.locked_until


def _reason(text: str | None) -> str:
    return required_text(
        text, "reason", MAX_REASON, _("Say who came, and how you checked it was them.")
    )


@transactional
def unlock_with_person_present(actor: Actor, grievance: Grievance, reason: str | None) -> None:
    """Lift the lock and forget its streak, in one unit of work with its note and event."""
    if not may_unlock(actor):
        raise NotAllowed(_("You may not do this on this case."))
    cleaned = _reason(reason)
    until = locked_until(grievance)
    if until is None:
        raise InvalidInput(_("This case is not locked: the person can open it with the PIN."))
    db.session.execute(delete(PinLockout).where(PinLockout.reference == grievance.reference))
    note = InternalNote(
        grievance_id=grievance.id,
        author_user_id=actor.user_id,
        author_organisation_id=None,
        text=_("PIN lock lifted with the person present: %(reason)s", reason=cleaned),
    )
    db.session.add(note)
    db.session.flush()
    audit.record(
        actor,
        "pin_lockout.unlock",
        "grievance",
        grievance.reference,
        before={"locked_until": until.isoformat()},
        after={"locked": False, "note_id": note.id},
    )

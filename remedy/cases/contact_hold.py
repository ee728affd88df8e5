"""A hold on all contact with the people's phones, placed after a reprisal incident.

Someone feared may hold or read the person's phone, so while a case is held nothing about
it goes to the people's phones: its SMS, WhatsApp messages and calls are still written to the
outbox, as every message is, but the worker does not claim them (``messaging.claims``),
no ask is opened for them (a reply from a phone in the wrong hands must not answer a
proposal), and follow-up check-ins that fall due wait. The web status page still works
with the PIN: the person may look.

Lifting the hold is a protection decision, taken with a reason (kept as an internal
note) by the mechanism's protection officers and supervisors, who choose what becomes of
the messages that waited: **send** them as they were written (asking ones then open
their asks, so the answer reaches the step), or **drop** them (failed, code ``held``:
their words stay readable on the web status page with the PIN). Nothing that waited is
sent without that choice. A message a worker had already taken when the hold began may
still go.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.asks import asked_by
from remedy.cases.protection import may_change_reprisal_risk
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.free_text import required_text
from remedy.core.unit_of_work import transactional
from remedy.models.check_in import CheckIn
from remedy.models.grievance import Grievance
from remedy.models.internal_note import InternalNote
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.outbox_message import (
    SENDABLE_CHANNELS,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.person import Person
from remedy.models.types import utcnow

HELD_CODE = "held"
MAX_REASON = 2000


class Waiting(enum.StrEnum):
    """What becomes of the messages that waited while contact was held."""

    SEND = "send"
    DROP = "drop"


def is_held(grievance: Grievance) -> bool:
    return grievance.contact_held_since is not None


# The same people who record incidents lift the hold they bring.
may_lift = may_change_reprisal_risk


def waiting_messages(grievance: Grievance) -> list[OutboxMessage]:
    """The phone messages about this case that have not gone, oldest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.grievance_id == grievance.id,
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.channel.in_(SENDABLE_CHANNELS),
            )
            .order_by(OutboxMessage.available_at, OutboxMessage.id)
        )
    )


def hold_contact(actor: Actor, grievance: Grievance, incident_id: int) -> None:
    """Joins the caller's unit of work (recording an incident); a held case stays held."""
    if is_held(grievance):
        return
    grievance.contact_held_since = utcnow()
    audit.record(
        actor,
        "protection.contact_hold",
        "grievance",
        grievance.reference,
        after={"held": True, "incident_id": incident_id},
    )


def _reason(text: str | None) -> str:
    return required_text(text, "reason", MAX_REASON, _("Say why contact may start again."))


@transactional
def lift_contact_hold(
    actor: Actor, grievance: Grievance, reason: str | None, waiting: Waiting
) -> int:
    """End the hold; send or drop what waited. How many messages waited."""
    if not may_lift(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    if not is_held(grievance):
        raise InvalidInput(_("Contact with the people is not on hold."), "reason")
    cleaned = _reason(reason)
    messages = waiting_messages(grievance)
    if waiting is Waiting.SEND:
        for message in messages:
            _open_its_ask(message, grievance)
    else:
        for message in messages:
            message.status = MessageStatus.FAILED
            message.error_code = HELD_CODE
            message.last_error = "dropped when the contact hold was lifted"
    grievance.contact_held_since = None
    note = InternalNote(
        grievance_id=grievance.id,
        author_user_id=actor.user_id,
        author_organisation_id=None,
        text=_("Contact hold lifted: %(reason)s", reason=cleaned),
    )
    db.session.add(note)
    db.session.flush()
    audit.record(
        actor,
        "protection.contact_hold_lifted",
        "grievance",
        grievance.reference,
        before={"held": True},
        after={
            "held": False,
            "waiting": waiting.value,
            "messages": len(messages),
            "note_id": note.id,
        },
    )
    return len(messages)


def _open_its_ask(message: OutboxMessage, grievance: Grievance) -> None:
    """A message that asks something opens its ask when it is finally sent."""
    person = db.session.get(Person, message.person_id) if message.person_id else None
    if person is None:
        return
    track = db.session.get(InvolvementTrack, message.track_id) if message.track_id else None
    check_in = None
    if track is not None:
        check_in = db.session.scalar(
            select(CheckIn)
            .where(
                CheckIn.track_id == track.id,
                CheckIn.person_id == person.id,
                CheckIn.opened_at.is_not(None),
                CheckIn.cancelled_at.is_(None),
            )
            .order_by(CheckIn.id.desc())
            .limit(1)
        )
    # A discreet phone was sent only that there is news: STATUS with the PIN shows the words
    # (a call's own words are whole: they are read once the PIN is typed).
    held_text = None
    if grievance.discreet_messages and message.channel is MessageChannel.VOICE:
        held_text = message.body
    elif grievance.discreet_messages:
        held_text = db.session.scalar(
            select(OutboxMessage.body).where(
                OutboxMessage.dedupe_key == f"{message.dedupe_key}:web"
            )
        )
    asked_by(message.template, message, person, grievance, track, check_in, held_text)

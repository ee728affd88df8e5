"""A handled message's reply: queued in the outbox, exactly once, and the message settled.

The reply is an outbox row keyed on the inbound message (``sms-reply:<id>``), so it is
queued once whatever happens; the worker sends it to the number that wrote, on the
channel it wrote on. A reply that gives a new PIN uses a secret template: staff see it
masked (``OutboxMessage.body_for_staff``), and the upkeep masks the PIN in the row
itself once the message has left (``remedy.sms.upkeep.forget_pins``).

Before a step that commits on its own (STATUS counting a wrong PIN), the message is
settled early with a provisional reply held back a little: the commit then cannot leave
the message to be handled again, and a worker killed after it still answers. The
final reply replaces the provisional one in the same row and releases it.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.messaging import sms_texts
from remedy.messaging.whatsapp_templates import LANGUAGE_MENU, YES_NO_MENU
from remedy.models.grievance import Channel
from remedy.models.inbound_message import InboxOutcome
from remedy.models.outbox_message import (
    OPT_OUT_REPLY_TEMPLATE,
    PIN_REPLY_TEMPLATE,
    REPLY_TEMPLATE,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
    reply_key,
)
from remedy.models.person import Person
from remedy.models.types import utcnow
from remedy.sms.turn import Turn

# The filing conversation's questions answered 1 yes, 2 no.
YES_NO_QUESTIONS = (sms_texts.IDENTITY, sms_texts.REPRISAL, sms_texts.CONTACT)
# How long a provisional reply waits for the turn that queued it to finish.
PROVISIONAL_HOLD = timedelta(minutes=1)


def settle(turn: Turn, reply: str, final: bool) -> None:
    """Mark the message handled and queue ``reply`` (nothing when it is empty)."""
    inbound = turn.inbound
    inbound.reply = None  # a provisional reply lives in the outbox row only
    inbound.processed_at = utcnow()
    inbound.outcome = InboxOutcome.REPLIED if reply else InboxOutcome.SILENT
    inbound.last_error = None
    db.session.flush()
    key = reply_key(inbound.id)
    # Only a turn settled early has queued a reply: a message is claimed while unsettled,
    # and everything of a failed attempt rolled back (the unique key would refuse a copy).
    queued = (
        db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
        if turn.settled_early
        else None
    )
    if not reply:
        if queued is not None and queued.status == MessageStatus.PENDING:
            db.session.delete(queued)
        return
    # The reply goes out before anything the message caused (a workflow's message to the
    # same phone, queued during the turn): it is due from the moment the turn began.
    available_at = turn.now if final else utcnow() + PROVISIONAL_HOLD
    template = PIN_REPLY_TEMPLATE if inbound.reply_holds_pin else REPLY_TEMPLATE
    if turn.confirms_opt_out:
        template = OPT_OUT_REPLY_TEMPLATE
    kind = menu_kind(reply, turn.language) if inbound.channel is Channel.WHATSAPP else None
    if queued is None:
        conversation = turn.conversation
        # The turn's person when it looked one up (the first of the number's); otherwise,
        # or when there was none then, one the turn may have registered since.
        known = turn.__dict__.get("person")
        person_id = (
            known.id
            if known is not None
            else db.session.scalar(
                select(Person.id).where(Person.phone_hash.in_(turn.hashes)).order_by(Person.id)
            )
        )
        db.session.add(
            OutboxMessage(
                dedupe_key=key,
                grievance_id=conversation.grievance_id
                if conversation is not None and conversation.grievance_id
                else turn.answered_grievance_id,
                person_id=person_id,
                channel=MessageChannel(inbound.channel.value),
                address=turn.e164,
                language=turn.language,
                template=template,
                kind=kind,
                body=reply,
                status=MessageStatus.PENDING,
                available_at=available_at,
            )
        )
    elif queued.status == MessageStatus.PENDING:
        queued.body, queued.template, queued.available_at = reply, template, available_at
        queued.kind = kind
    db.session.flush()


def menu_kind(reply: str, language: str) -> str | None:
    """The menu a reply ends with, whose buttons WhatsApp shows with it (the language
    menu, or a yes/no question of the filing conversation); None for other replies."""
    with force_locale(settings().default_language):
        if str(sms_texts.LANGUAGE_MENU) in reply:
            return LANGUAGE_MENU
    with force_locale(language):
        if any(str(text) in reply for text in YES_NO_QUESTIONS):
            return YES_NO_MENU
    return None

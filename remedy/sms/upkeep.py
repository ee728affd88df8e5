"""The conversation's periodic upkeep (the worker runs it): idle conversations expire,
and the PINs in replies are masked once the reply has left (or, in replies stored before
the inbox, once Twilio can no longer retry them)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.core.unit_of_work import ConflictError, atomic
from remedy.models.conversation import Conversation
from remedy.models.inbound_message import InboundMessage
from remedy.models.outbox_message import (
    PIN_REPLY_TEMPLATE,
    REPLY_TEMPLATE,
    MessageStatus,
    OutboxMessage,
)
from remedy.models.types import utcnow
from remedy.sms.drafts import expiry, fire

PIN_IN_REPLY = re.compile(r"(?<!\d)\d{6}(?!\d)")
# How long a reply that gives a PIN is kept whole for Twilio's retries.
PIN_REPLY_KEPT = timedelta(hours=1)


def expire_idle_conversations(now: datetime | None = None) -> int:
    """End conversations silent for a day; their drafts stay for the team."""
    now = now or utcnow()
    expired = 0
    for conversation_id in db.session.scalars(
        select(Conversation.id).where(
            Conversation.ended_at.is_(None), Conversation.last_message_at < now - expiry()
        )
    ).all():
        try:
            with atomic():
                conversation = db.session.get(Conversation, conversation_id)
                if conversation is None or conversation.ended_at is not None:
                    continue
                if conversation.last_message_at < now - expiry():
                    fire(conversation, "expire", now)
                    expired += 1
        except ConflictError:
            continue  # the person wrote at that moment: the conversation goes on
    return expired


def forget_pins(now: datetime | None = None) -> int:
    """Mask the PIN in replies an hour after they were queued, once they have left."""
    now = now or utcnow()
    with atomic():
        sent = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.template == PIN_REPLY_TEMPLATE,
                OutboxMessage.status.not_in((MessageStatus.PENDING, MessageStatus.SENDING)),
                OutboxMessage.created_at < now - PIN_REPLY_KEPT,
            )
        ).all()
        for message in sent:
            message.body = PIN_IN_REPLY.sub("******", message.body)
            message.template = REPLY_TEMPLATE  # nothing secret left in it

        rows = db.session.scalars(
            select(InboundMessage).where(
                InboundMessage.reply_holds_pin.is_(True),
                InboundMessage.reply.is_not(None),
                InboundMessage.received_at < now - PIN_REPLY_KEPT,
            )
        ).all()
        for row in rows:
            row.reply = PIN_IN_REPLY.sub("******", row.reply or "")
            row.reply_holds_pin = False
    return len(rows) + len(sent)


def periodic(now: datetime | None = None) -> tuple[int, int]:
    """The worker's job: conversations expired, and stored replies whose PIN was masked."""
    return expire_idle_conversations(now), forget_pins(now)

"""The conversation's periodic upkeep (the worker runs it): a silent draft gets one
reminder before it expires, idle conversations expire, and the PINs in replies are masked
once the reply has left (or, in replies stored before the inbox, once Twilio can no longer
retry them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import ColumnElement, or_, select

from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import ConflictError, atomic
from remedy.messaging import sms_texts
from remedy.models.conversation import Conversation
from remedy.models.inbound_message import InboundMessage
from remedy.models.outbox_message import (
    PIN_REPLY_TEMPLATE,
    REPLY_TEMPLATE,
    MessageChannel,
    MessageStatus,
    OutboxMessage,
    draft_reminder_prefix,
)
from remedy.models.person import Person
from remedy.models.types import keyring, utcnow
from remedy.sms.drafts import expiry, fire, reminder_after, told_something

PIN_IN_REPLY = re.compile(r"(?<!\d)\d{6}(?!\d)")
# How long a reply that gives a PIN is kept whole for Twilio's retries.
PIN_REPLY_KEPT = timedelta(hours=1)


def _each_open(where: Iterable[ColumnElement[bool]], act: Callable[[Conversation], bool]) -> int:
    """Run ``act`` on each open conversation found by ``where``, each in its own unit of
    work; how many it acted on. One the person wrote to meanwhile is left alone."""
    acted = 0
    query = select(Conversation.id).where(Conversation.ended_at.is_(None), *where)
    for conversation_id in db.session.scalars(query).all():
        try:
            with atomic():
                conversation = db.session.get(Conversation, conversation_id)
                if conversation is not None and conversation.ended_at is None:
                    acted += act(conversation)
        except ConflictError:
            continue  # the person wrote at that moment: the conversation goes on
    return acted


def expire_idle_conversations(now: datetime | None = None) -> int:
    """End conversations silent for a day; their drafts stay for the team."""
    now = now or utcnow()

    def expire(conversation: Conversation) -> bool:
        if conversation.last_message_at >= now - expiry():
            return False
        fire(conversation, "expire", now)
        return True

    return _each_open([Conversation.last_message_at < now - expiry()], expire)


def remind_silent_drafts(now: datetime | None = None) -> int:
    """One reminder a silence, through the outbox, a few hours before the draft would
    expire: "Your complaint is not finished. Reply to go on." Not to a number that opted
    out, and not for a draft that holds nothing of the person's yet."""
    now = now or utcnow()
    after = reminder_after()
    if after is None:
        return 0

    def remind(conversation: Conversation) -> bool:
        conversation.reminded_at = now  # looked at: once a silence, sent or not
        if not told_something(conversation) or _opted_out(conversation):
            return False
        _queue_reminder(conversation)
        return True

    silent = [
        Conversation.last_message_at < now - after,
        or_(
            Conversation.reminded_at.is_(None),
            Conversation.reminded_at < Conversation.last_message_at,
        ),
    ]
    return _each_open(silent, remind)


def _opted_out(conversation: Conversation) -> bool:
    hashes = keyring().lookup_hashes(conversation.phone)
    return bool(
        db.session.scalar(
            select(Person.id)
            .where(Person.phone_hash.in_(hashes), Person.phone_opted_out_at.is_not(None))
            .limit(1)
        )
    )


def _queue_reminder(conversation: Conversation) -> None:
    language = conversation.language or settings().default_language
    with force_locale(language):
        body = str(sms_texts.DRAFT_REMINDER)
    db.session.add(
        OutboxMessage(
            # One per silence, as a database rule: a silence is known by its last message.
            dedupe_key=draft_reminder_prefix(conversation.id)
            + conversation.last_message_at.isoformat(),
            channel=MessageChannel(conversation.channel.value),
            address=conversation.phone,
            language=language,
            template="draft_reminder",
            body=body,
            status=MessageStatus.PENDING,
        )
    )


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


def periodic(now: datetime | None = None) -> tuple[int, int, int]:
    """The worker's job: drafts reminded, conversations expired, and stored replies whose
    PIN was masked."""
    return remind_silent_drafts(now), expire_idle_conversations(now), forget_pins(now)

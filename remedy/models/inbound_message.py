"""Messages that reached the SMS and WhatsApp webhook (the inbox), and the media they carried.

The webhook only stores a message; a worker handles it later (``remedy.sms.inbox``).
``message_sid`` (Twilio's id) is unique: a retried webhook finds its message here
and stores nothing new. A message is pending until ``processed_at`` is set, with
its ``outcome``; a failing one waits until ``available_at`` between attempts.
Numbers, bodies and media addresses are personal data: encrypted.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.conversation import Conversation
from remedy.models.grievance import Channel
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class InboxOutcome(enum.StrEnum):
    REPLIED = "replied"  # the reply is queued in the outbox
    SILENT = "silent"  # handled, nothing said back
    FAILED = "failed"  # every attempt failed: shown to the team, who may retry it


class InboundMessage(Model):
    __tablename__ = "inbound_messages"
    # Workers look for pending messages, and for an earlier pending one of the same number.
    __table_args__ = (Index("ix_inbound_messages_pending", "processed_at", "phone_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_sid: Mapped[str] = mapped_column(String(64), unique=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "inbound_channel"))
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    # Whom to answer (E.164); kept for the worker, which has only the stored message.
    phone: Mapped[str | None] = mapped_column(EncryptedText("inbound_messages.phone"))
    # Twilio's OptOutType ("STOP", "START", "HELP") when its opt-out words matched.
    opt_out: Mapped[str | None] = mapped_column(String(8))
    body: Mapped[str | None] = mapped_column(EncryptedText("inbound_messages.body"))
    # The media as Twilio sent them, JSON [[url, content type], ...], until handled
    # (then they are ``InboundMedia`` rows).
    media_sent: Mapped[str | None] = mapped_column(EncryptedText("inbound_messages.media_sent"))
    # Replies of messages handled before the inbox (now replies are outbox rows).
    reply: Mapped[str | None] = mapped_column(EncryptedText("inbound_messages.reply"))
    # The reply gives a new PIN: it is masked in the stored copy once retries are over.
    reply_holds_pin: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when the conversation finished with it.
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The inbox: pending while NULL; processing attempts, the next one not before
    # ``available_at``, and the last failure's short technical reason (no personal data).
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[InboxOutcome | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200))
    # The webhook request that stored it: the worker binds it while handling the message,
    # so the reply's outbox row and its send are logged under the same id.
    request_id: Mapped[str | None] = mapped_column(String(64))

    conversation: Mapped[Conversation | None] = relationship()
    media: Mapped[list[InboundMedia]] = relationship(
        back_populates="message", order_by="InboundMedia.position"
    )


class MediaStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its grievance, or for a worker to fetch it
    FETCHING = "fetching"  # a worker holds it until ``lease_expires_at``
    STORED = "stored"  # now an encrypted attachment of the grievance
    FAILED = "failed"  # could not be fetched after every attempt; the reason is kept


class InboundMedia(Model):
    """A photo, voice note or document sent with a message: fetched later, in the worker,
    so the webhook answers at once; becomes an attachment once its grievance exists."""

    __tablename__ = "inbound_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="SET NULL"), index=True
    )
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    url: Mapped[str] = mapped_column(EncryptedText("inbound_media.url"))
    content_type: Mapped[str] = mapped_column(String(100))
    status: Mapped[MediaStatus] = mapped_column(
        enum_column(MediaStatus, "media_status"), default=MediaStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(200))
    attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )

    message: Mapped[InboundMessage] = relationship(back_populates="media")
    conversation: Mapped[Conversation | None] = relationship()

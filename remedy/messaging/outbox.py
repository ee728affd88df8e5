"""The outbox: every outbound message is a row written in the same transaction as the
change that caused it. Nothing is sent inside a request; workers deliver later."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.extensions import db
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class MessageChannel(enum.StrEnum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    VOICE = "voice"
    # Shown on the web status page when the person checks the case with the PIN.
    WEB = "web"
    # For staff: shown in the console.
    CONSOLE = "console"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    # Web and console messages are not sent anywhere: they wait to be read.
    STORED = "stored"


class OutboxMessage(db.Model):  # type: ignore[name-defined]
    """``dedupe_key`` makes "exactly one message per recipient per event" a database rule."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    channel: Mapped[MessageChannel] = mapped_column(enum_column(MessageChannel, "channel"))
    address: Mapped[str | None] = mapped_column(EncryptedText("outbox_messages.address"))
    language: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(EncryptedText("outbox_messages.body"))
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "status"), default=MessageStatus.PENDING, index=True
    )
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    provider_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

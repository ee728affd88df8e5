"""The outbox: every outbound message is a row written in the same transaction as the
change that caused it. Nothing is sent inside a request; workers deliver later.

A phone message goes ``pending`` → ``sending`` (claimed by one worker, with a lease)
→ ``sent`` (the provider accepted it) → ``delivered``, or ``failed`` with the reason.
A worker that dies leaves its claims ``sending`` until the lease expires, when another
worker takes them again. ``provider_status`` is the provider's own word for the message
(``queued``, ``sent``, ``delivered``, ``read``, ``undelivered`` ...), which status
callbacks only ever move forward.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.core.request_ids import current_request_id
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class MessageChannel(enum.StrEnum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    # A call to the person's phone (``remedy.voice.callbacks``): the words are read once
    # the PIN is typed; unanswered, retried, then sent by SMS when the person allows it.
    VOICE = "voice"
    # Shown on the web status page when the person checks the case with the PIN.
    WEB = "web"
    # For staff: shown in the console.
    CONSOLE = "console"


# What the outbox worker sends: texts through the Messages API, calls through the Calls API.
TEXT_CHANNELS = (MessageChannel.SMS, MessageChannel.WHATSAPP)
SENDABLE_CHANNELS = (*TEXT_CHANNELS, MessageChannel.VOICE)
# A call back to a known number that rang the mechanism (``remedy.voice.missed_call``).
MISSED_CALL_TEMPLATE = "missed_call"


# Messages that carry a secret meant for the person's phone alone (a PIN-reset code): staff
# screens, exports and the API show them with the secret masked (DESIGN §6).
PIN_RESET_CODE_TEMPLATE = "pin_reset_code"
# The SMS conversation's replies (``remedy.sms.replies``); the one giving a new PIN is secret.
REPLY_TEMPLATE = "sms_reply"


# Messages to a phone before its case exists are found again by their keys: erasure
# clears the replies and reminders of a case's conversations (remedy.identity.erasure).
def reply_key(inbound_id: int) -> str:
    """The one reply to an inbound message."""
    return f"sms-reply:{inbound_id}"


def draft_reminder_prefix(conversation_id: int) -> str:
    """What every reminder of a silent conversation's draft starts with."""
    return f"draft_reminder:{conversation_id}:"


PIN_REPLY_TEMPLATE = "sms_reply_pin"
# The answer to a STOP word the provider did not act on itself (ARRET, BAJA...): the one
# message sent to a number that has just opted out, so the person knows it worked.
OPT_OUT_REPLY_TEMPLATE = "sms_reply_opt_out"
# The code by which the people confirm a new mandate of an organisation whose mandate they
# withdrew: for their phone alone, never for the organisation that asks (nor for staff).
MANDATE_CODE_TEMPLATE = "mandate_consent_code"
SECRET_TEMPLATES = frozenset({PIN_RESET_CODE_TEMPLATE, PIN_REPLY_TEMPLATE, MANDATE_CODE_TEMPLATE})
SECRET = re.compile(r"\d{6}")
MASK = "••••••"


class MessageStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    # Web and console messages are not sent anywhere: they wait to be read.
    STORED = "stored"


class OutboxMessage(Model):
    """``dedupe_key`` makes "exactly one message per recipient per event" a database rule."""

    __tablename__ = "outbox_messages"
    # Workers look for due messages by status and time: one index answers both.
    __table_args__ = (Index("ix_outbox_messages_due", "status", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    # The track the message is about, if one: an organisation's staff read only their own.
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="SET NULL")
    )
    channel: Mapped[MessageChannel] = mapped_column(enum_column(MessageChannel, "channel"))
    address: Mapped[str | None] = mapped_column(EncryptedText("outbox_messages.address"))
    language: Mapped[str] = mapped_column(String(8))
    template: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(EncryptedText("outbox_messages.body"))
    # A call's words as the SMS would have said them (SMS wording, discreet when the case
    # is): what the SMS fallback sends when no call was heard.
    sms_body: Mapped[str | None] = mapped_column(EncryptedText("outbox_messages.sms_body"))
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "status"), default=MessageStatus.PENDING
    )
    # Not before this time (a retry waits here after a temporary failure).
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Provider calls started, counted when a worker claims the message.
    attempts: Mapped[int] = mapped_column(default=0)
    # Technical reason for the last failure (codes and fixed words, never the provider's
    # own text, which may quote the phone number).
    last_error: Mapped[str | None] = mapped_column(String(200))
    # The provider's error code (Twilio: 21610 opted out, 63016 outside WhatsApp's window...).
    error_code: Mapped[str | None] = mapped_column(String(16))
    provider_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    provider_status: Mapped[str | None] = mapped_column(String(16))
    # While ``sending``: which worker holds the message, and until when.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An SMS queued because this WhatsApp message could not be sent points at it.
    fallback_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    # What the message says, for a WhatsApp template chosen when it is sent
    # (``remedy.messaging.whatsapp_templates``): its kind (None: the template's name)
    # and its values as the reader reads them, JSON, encrypted.
    kind: Mapped[str | None] = mapped_column(String(64))
    variables: Mapped[str | None] = mapped_column(EncryptedText("outbox_messages.variables"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The web request that queued the message (none outside one): the worker logs it when
    # it sends, so one id follows a filing from the request's log to the send's.
    request_id: Mapped[str | None] = mapped_column(String(64), default=current_request_id)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def body_for_staff(self) -> str:
        """What staff may read of the message: a secret code is masked, the rest kept."""
        return SECRET.sub(MASK, self.body) if self.template in SECRET_TEMPLATES else self.body

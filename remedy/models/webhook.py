"""Outbound webhooks: an organisation's subscriptions, the deliveries owed to them, and
every attempt made (the delivery log).

A delivery row is written in the same transaction as the change it tells of (the outbox
pattern), and holds only facts that name nobody: the event, the case, the states. What
the receiving system reads is assembled when it is sent, through the visibility rules
of the subscription's organisation (``remedy.webhooks.payload``), so an identity the
people have since withheld, or erased, is never sent.

A delivery goes ``pending`` → ``sending`` (claimed by one worker, with a lease) →
``delivered``, or back to ``pending`` after a retryable failure, or ``failed``.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.organisation import Organisation
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class WebhookEvent(enum.StrEnum):
    GRIEVANCE_STATE_CHANGED = "grievance.state_changed"
    TRACK_STATE_CHANGED = "track.state_changed"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


class WebhookSubscription(Model):
    """``secret`` signs every delivery (HMAC-SHA256); shown once, kept encrypted."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(EncryptedText("webhook_subscriptions.secret"))
    # The events subscribed to, space-separated (``WebhookEvent`` values).
    events: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()

    @property
    def event_types(self) -> tuple[WebhookEvent, ...]:
        return tuple(WebhookEvent(name) for name in self.events.split())

    def __repr__(self) -> str:
        return f"<WebhookSubscription {self.id} org {self.organisation_id}>"


class WebhookDelivery(Model):
    """One event owed to one subscription; ``attempts`` counts claims, as the outbox does."""

    __tablename__ = "webhook_deliveries"
    # Workers look for due deliveries by status and time: one index answers both.
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[WebhookEvent] = mapped_column(enum_column(WebhookEvent, "webhook_event"))
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="SET NULL")
    )
    state_from: Mapped[str | None] = mapped_column(String(40))
    state_to: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "webhook_delivery_status"), default=DeliveryStatus.PENDING
    )
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(String(200))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    subscription: Mapped[WebhookSubscription] = relationship()
    grievance: Mapped[Grievance] = relationship()
    track: Mapped[InvolvementTrack | None] = relationship()


class WebhookAttempt(Model):
    """One POST tried: the delivery log admins read. Never the response body (it is the
    receiver's words, and may echo anything)."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    attempt: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None] = mapped_column()
    error: Mapped[str | None] = mapped_column(String(200))
    # What the attempt led to: delivered, retry or failed.
    outcome: Mapped[str] = mapped_column(String(16))

"""Each WhatsApp number's session window: when the person last wrote to us.

WhatsApp lets a business send free text only within 24 hours of the person's last
message; after that only approved templates go. The webhook moves ``last_inbound_at``
forward with every WhatsApp message it stores, and the outbox worker reads it when it
sends (not when it queues: a message queued inside the window may leave after it
closed). Keyed by the number's look-up hash, so no number is stored here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime


class WhatsAppWindow(Model):
    __tablename__ = "whatsapp_windows"

    phone_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_inbound_at: Mapped[datetime] = mapped_column(UTCDateTime)

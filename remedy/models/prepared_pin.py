"""PINs whose slow hash is already computed, waiting to be given to a new grievance.

Argon2id at its production cost takes a tenth of a second of CPU: too long for the
SMS webhook's request (Twilio waits, and SQLite writers queue behind it). The
worker computes PINs ahead of time (``remedy.access.prepared_pins``); filing
takes one and deletes it in the same transaction. Until then the PIN is kept
encrypted like any personal data; it belongs to nobody yet.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, utcnow


class PreparedPin(Model):
    __tablename__ = "prepared_pins"

    id: Mapped[int] = mapped_column(primary_key=True)
    pin: Mapped[str] = mapped_column(EncryptedText("prepared_pins.pin"))
    pin_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Files that come with a grievance: photos, recordings, documents; encrypted whole."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedBytes, EncryptedText, UTCDateTime, utcnow


class Attachment(Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str | None] = mapped_column(EncryptedText("attachments.filename"))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    # Deferred: lists of attachments never load (and decrypt) the content.
    content: Mapped[bytes] = deferred(mapped_column(EncryptedBytes("attachments.content")))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

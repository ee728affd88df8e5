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
    # What the file came with after filing, if anything: a remedy action's proof of
    # delivery (shown with its track, to those who see the track), or information added.
    remedy_action_id: Mapped[int | None] = mapped_column(
        ForeignKey("remedy_actions.id", ondelete="SET NULL"), index=True
    )
    added_information_id: Mapped[int | None] = mapped_column(
        ForeignKey("added_information.id", ondelete="SET NULL"), index=True
    )

"""Information the complainant (or their proxy) adds to a grievance after filing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, utcnow


class AddedInformation(Model):
    __tablename__ = "added_information"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(EncryptedText("added_information.text"))
    added_by: Mapped[str] = mapped_column(String(80))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

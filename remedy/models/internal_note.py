"""Internal notes: what the team writes down about a case. Never sent to anyone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, utcnow
from remedy.models.user import User


class InternalNote(Model):
    """``author_organisation_id`` keeps an organisation's notes within it in a joint
    mechanism (and the mechanism's own notes from the organisations involved)."""

    __tablename__ = "internal_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    text: Mapped[str] = mapped_column(EncryptedText("internal_notes.text"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()

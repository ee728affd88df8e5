"""Appeals against a decision; the reviewer is never the person who decided."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class AppealResult(enum.StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class Appeal(Model):
    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    appealed_state: Mapped[str] = mapped_column(String(32))
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(EncryptedText("appeals.reason"))
    lodged_by: Mapped[str | None] = mapped_column(String(64))
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    result: Mapped[AppealResult | None] = mapped_column(enum_column(AppealResult, "appeal_result"))
    review_reason: Mapped[str | None] = mapped_column(EncryptedText("appeals.review_reason"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

"""The people's view of the mechanism itself (UNGP 31 (g), a source of continuous
learning): once their case ended, how fair was the way it was handled, 1 to 5.

One row per person and grievance: a later answer replaces the earlier one (the question
is put again when a case ends again, after an appeal or a reopening, and the view after
the latest ending is the one that counts); the audit log keeps every answer given.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class FeedbackVia(enum.StrEnum):
    """The channel the answer came on."""

    SMS = "sms"
    WHATSAPP = "whatsapp"
    VOICE = "voice"
    WEB = "web"
    PROXY = "proxy"


class MechanismFeedback(Model):
    __tablename__ = "mechanism_feedback"
    __table_args__ = (
        UniqueConstraint("grievance_id", "person_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    # Whose view it is (None: a case with no person on record, answered by its proxy).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(EncryptedText("mechanism_feedback.comment"))
    via: Mapped[FeedbackVia] = mapped_column(enum_column(FeedbackVia, "feedback_via"))
    # Who gave it: the actor's id (the case reference for the person themselves, the
    # member's account for a proxy) and, for a proxy, its organisation.
    answered_by: Mapped[str | None] = mapped_column(String(64))
    proxy_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    grievance: Mapped[Grievance] = relationship()

    @property
    def by_proxy(self) -> bool:
        return self.proxy_organisation_id is not None

    def __repr__(self) -> str:
        return f"<MechanismFeedback {self.id} {self.score}>"

"""Identity reveals: a protection officer sees a withheld identity only with a second
person's approval, for a limited time (DESIGN §6)."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow
from remedy.models.user import User


class RevealStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return str(REVEAL_STATUS_LABELS[self])


REVEAL_STATUS_LABELS = {
    RevealStatus.PENDING: _l("Waiting for a second person"),
    RevealStatus.APPROVED: _l("Approved"),
    RevealStatus.REFUSED: _l("Refused"),
}


class IdentityReveal(Model):
    """One request, decided once; an approved reveal lasts until ``expires_at``, for the
    requester only. ``version`` makes two simultaneous decisions conflict."""

    __tablename__ = "identity_reveals"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    requested_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Why the identity is needed: may itself describe the person, so it is encrypted.
    reason: Mapped[str] = mapped_column(EncryptedText("identity_reveals.reason"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[RevealStatus] = mapped_column(
        enum_column(RevealStatus, "reveal_status"), default=RevealStatus.PENDING
    )
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(
        EncryptedText("identity_reveals.decision_note")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    grievance: Mapped[Grievance] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_user_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def is_active(self, now: datetime) -> bool:
        return (
            self.status is RevealStatus.APPROVED
            and self.expires_at is not None
            and now < self.expires_at
        )

    def __repr__(self) -> str:
        return f"<IdentityReveal {self.id} {self.status.value}>"

"""Erasure on request: a protection officer asks, a second person decides (DESIGN §6)."""

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


class ErasureStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return str(ERASURE_STATUS_LABELS[self])


ERASURE_STATUS_LABELS = {
    ErasureStatus.PENDING: _l("Waiting for a second person"),
    ErasureStatus.APPROVED: _l("Approved: erased"),
    ErasureStatus.REFUSED: _l("Refused"),
}


class ErasureRequest(Model):
    """One request, decided once; ``version`` makes two simultaneous decisions conflict.
    Its reason is sealed under the case's key, so it goes with the case it erases."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    requested_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(EncryptedText("erasure_requests.reason"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[ErasureStatus] = mapped_column(
        enum_column(ErasureStatus, "erasure_status"), default=ErasureStatus.PENDING
    )
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(
        EncryptedText("erasure_requests.decision_note")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    grievance: Mapped[Grievance] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_user_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_user_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<ErasureRequest {self.id} {self.status.value}>"

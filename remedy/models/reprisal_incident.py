"""Reprisal incidents: harm or threats the people met because they complained.

What happened and who is suspected are encrypted at rest (the suspect may be the
organisation the case is about). Each incident keeps which protective measures it
brought, and its supervisor alert stays open until a supervisor acknowledges it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.referral import Referral
from remedy.models.types import EncryptedText, UTCDateTime, utcnow
from remedy.models.user import User


class ReprisalIncident(Model):
    __tablename__ = "reprisal_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    what_happened: Mapped[str] = mapped_column(EncryptedText("reprisal_incidents.what_happened"))
    happened_on: Mapped[date] = mapped_column()
    suspected: Mapped[str | None] = mapped_column(EncryptedText("reprisal_incidents.suspected"))
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The measures it brought (each also audited on its own).
    held_contact: Mapped[bool] = mapped_column(default=False)
    made_discreet: Mapped[bool] = mapped_column(default=False)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"))
    alerted: Mapped[bool] = mapped_column(default=False)
    alert_acknowledged_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    alert_acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_user_id])
    alert_acknowledged_by: Mapped[User | None] = relationship(
        foreign_keys=[alert_acknowledged_by_user_id]
    )
    referral: Mapped[Referral | None] = relationship()

    @property
    def alert_open(self) -> bool:
        return self.alerted and self.alert_acknowledged_at is None

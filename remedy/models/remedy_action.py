"""Remedy actions: the parts of a remedy, each with an owner, a due date and evidence."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from remedy.models.involvement_track import InvolvementTrack


class RemedyType(enum.StrEnum):
    CESSATION = "cessation"
    APOLOGY = "apology"
    RESTITUTION = "restitution"
    REHABILITATION = "rehabilitation"
    COMPENSATION = "compensation"
    NON_REPETITION = "non_repetition"
    SANCTION = "sanction"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(REMEDY_TYPE_LABELS[self])

    @property
    def plain_label(self) -> str:
        """What the affected people read: everyday words, not the UNGP's terms of art."""
        return str(PLAIN_REMEDY_TYPE_LABELS[self])


REMEDY_TYPE_LABELS = {
    RemedyType.CESSATION: _l("Stopping the harm"),
    RemedyType.APOLOGY: _l("Apology"),
    RemedyType.RESTITUTION: _l("Restitution"),
    RemedyType.REHABILITATION: _l("Rehabilitation"),
    RemedyType.COMPENSATION: _l("Compensation"),
    RemedyType.NON_REPETITION: _l("Guarantee of non-repetition"),
    RemedyType.SANCTION: _l("Sanction"),
    RemedyType.OTHER: _l("Other remedy"),
}

# For the people themselves (web, portal, SMS, calls): a French complainant read
# "Restitution" and "Garantie de non-répétition" and could not tell what was offered.
PLAIN_REMEDY_TYPE_LABELS = {
    RemedyType.CESSATION: _l("Stopping the harm"),
    RemedyType.APOLOGY: _l("Saying sorry"),
    RemedyType.RESTITUTION: _l("Giving back what was lost"),
    RemedyType.REHABILITATION: _l("Care to recover"),
    RemedyType.COMPENSATION: _l("Payment for the harm"),
    RemedyType.NON_REPETITION: _l("Steps so it does not happen again"),
    RemedyType.SANCTION: _l("Action against those responsible"),
    RemedyType.OTHER: _l("Another way to put it right"),
}


class ActionOwner(enum.StrEnum):
    THIS_ORGANISATION = "this_organisation"
    BUSINESS_PARTNER = "business_partner"
    SHARED = "shared"


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class RemedyAction(Model):
    __tablename__ = "remedy_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[RemedyType] = mapped_column(enum_column(RemedyType, "remedy_type"))
    description: Mapped[str] = mapped_column(EncryptedText("remedy_actions.description"))
    # Compensation may be financial or not (DESIGN §2); other types leave this False.
    financial: Mapped[bool] = mapped_column(default=False)
    owner: Mapped[ActionOwner] = mapped_column(enum_column(ActionOwner, "action_owner"))
    due_date: Mapped[date | None] = mapped_column()
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "action_status"), default=ActionStatus.PLANNED
    )
    evidence: Mapped[str | None] = mapped_column(EncryptedText("remedy_actions.evidence"))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    track: Mapped[InvolvementTrack] = relationship(back_populates="remedy_actions")

    @property
    def is_active(self) -> bool:
        return self.status is not ActionStatus.CANCELLED

    @property
    def is_delivered(self) -> bool:
        return self.status is ActionStatus.DELIVERED

"""Leverage actions: what an organisation does to change a business relationship's conduct."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from remedy.models.involvement_track import InvolvementTrack


class LeverageType(enum.StrEnum):
    RAISE_ISSUE = "raise_issue"
    CONTRACTUAL_DEMAND = "contractual_demand"
    CAPACITY_BUILDING = "capacity_building"
    JOINT_ACTION = "joint_action"
    CONDITIONS = "conditions"
    SUSPENSION = "suspension"
    RESPONSIBLE_EXIT = "responsible_exit"

    @property
    def label(self) -> str:
        return str(LEVERAGE_TYPE_LABELS[self])


LEVERAGE_TYPE_LABELS = {
    LeverageType.RAISE_ISSUE: _l("Raise the issue"),
    LeverageType.CONTRACTUAL_DEMAND: _l("Contractual demand"),
    LeverageType.CAPACITY_BUILDING: _l("Capacity building"),
    LeverageType.JOINT_ACTION: _l("Joint action with others"),
    LeverageType.CONDITIONS: _l("Conditions on the relationship"),
    LeverageType.SUSPENSION: _l("Suspension"),
    LeverageType.RESPONSIBLE_EXIT: _l("Responsible exit"),
}


class LeverageStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"


class LeverageAction(Model):
    __tablename__ = "leverage_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[LeverageType] = mapped_column(enum_column(LeverageType, "leverage_type"))
    # The business relationship the leverage is used on (an organisation's name).
    target: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(EncryptedText("leverage_actions.description"))
    due_date: Mapped[date | None] = mapped_column()
    status: Mapped[LeverageStatus] = mapped_column(
        enum_column(LeverageStatus, "leverage_status"), default=LeverageStatus.PLANNED
    )
    result: Mapped[str | None] = mapped_column(EncryptedText("leverage_actions.result"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    track: Mapped[InvolvementTrack] = relationship(back_populates="leverage_actions")

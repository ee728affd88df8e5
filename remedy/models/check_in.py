"""Check-ins: the affected people say whether a remedy was delivered, and whether it lasts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.organisation import Organisation
from remedy.models.person import Person
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from remedy.models.involvement_track import InvolvementTrack


class CheckInPurpose(enum.StrEnum):
    DELIVERY = "delivery"  # was the remedy delivered?
    FOLLOW_UP = "follow_up"  # 30 and 90 days on: is the problem still solved?


class Answer(enum.StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class CheckIn(Model):
    """One question to one recipient: an affected person, or a proxy organisation."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint(
            "person_id IS NOT NULL OR proxy_organisation_id IS NOT NULL", name="has_recipient"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    proxy_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    purpose: Mapped[CheckInPurpose] = mapped_column(enum_column(CheckInPurpose, "purpose"))
    round: Mapped[int] = mapped_column(default=1)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set when the question was sent; follow-ups wait until opens_at.
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    track: Mapped[InvolvementTrack] = relationship(back_populates="check_ins")
    person: Mapped[Person | None] = relationship()
    proxy_organisation: Mapped[Organisation | None] = relationship()
    response: Mapped[CheckInResponse | None] = relationship(
        back_populates="check_in", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.response is None and self.cancelled_at is None


class CheckInResponse(Model):
    __tablename__ = "check_in_responses"
    __table_args__ = (CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_in_id: Mapped[int] = mapped_column(
        ForeignKey("check_ins.id", ondelete="CASCADE"), unique=True
    )
    answer: Mapped[Answer] = mapped_column(enum_column(Answer, "answer"))
    comment: Mapped[str | None] = mapped_column(EncryptedText("check_in_responses.comment"))
    satisfaction: Mapped[int | None] = mapped_column(SmallInteger)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    check_in: Mapped[CheckIn] = relationship(back_populates="response")

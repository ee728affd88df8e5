"""Mandates: a proxy organisation's authority to act for affected people."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.extensions import db
from remedy.models.organisation import Organisation
from remedy.models.types import UTCDateTime, enum_column, utcnow


class ConsentMethod(enum.StrEnum):
    WRITTEN = "written"
    WITNESSED_VERBAL = "witnessed_verbal"
    THUMBPRINT = "thumbprint"
    RECORDED = "recorded"


class Mandate(db.Model):  # type: ignore[name-defined]
    """For one person (``person_id``) or the whole group of a grievance (``person_id`` NULL)."""

    __tablename__ = "mandates"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # Values of remedy.workflows.definition.MandateScope.
    scopes: Mapped[list[str]] = mapped_column(JSON)
    consent_method: Mapped[ConsentMethod] = mapped_column(
        enum_column(ConsentMethod, "consent_method")
    )
    valid_until: Mapped[date] = mapped_column()
    # Whether the proxy receives the messages (and check-ins) for the people it represents.
    proxy_receives_messages: Mapped[bool] = mapped_column(default=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship()

    def is_valid_on(self, day: date) -> bool:
        return self.withdrawn_at is None and day <= self.valid_until

"""Incidents: one event (a spill, a mass dismissal) that many grievances are about.

The team links the grievances so that what it proposes or decides once reaches every
one of them; each grievance keeps its own people, tracks and answers. A grievance
belongs to at most one incident. The title and summary are the team's words, encrypted
at rest, and shown to every organisation that sees one of the linked grievances, so they
never name the people.

A recurrence alert remembers that a category and a place word (its blind-index term,
never the word) came back often enough to tell the supervisors, so they are told once
per window.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, utcnow

if TYPE_CHECKING:
    from remedy.models.grievance import Grievance


class Incident(Model):
    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(EncryptedText("incidents.title"))
    summary: Mapped[str | None] = mapped_column(EncryptedText("incidents.summary"))
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    links: Mapped[list[IncidentGrievance]] = relationship(
        back_populates="incident",
        cascade="all, delete-orphan",
        order_by="IncidentGrievance.id",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class IncidentGrievance(Model):
    """One grievance linked to an incident (at most one incident per grievance)."""

    __tablename__ = "incident_grievances"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), index=True
    )
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), unique=True
    )
    linked_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="links")
    grievance: Mapped[Grievance] = relationship()


class RecurrenceAlert(Model):
    """Supervisors were told that ``category`` (or a root cause) came back at one place
    (``term``)."""

    __tablename__ = "recurrence_alerts"
    __table_args__ = (
        Index("ix_recurrence_alerts_key", "category", "term", "raised_at"),
        Index("ix_recurrence_alerts_root_cause", "root_cause_id", "term", "raised_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A category came back, or (``root_cause_id`` set, no category) a root cause did.
    category: Mapped[str | None] = mapped_column(String(32))
    root_cause_id: Mapped[int | None] = mapped_column(ForeignKey("root_causes.id"))
    # The place word's keyed hash (``remedy.identity.place_index``): never the word.
    term: Mapped[str] = mapped_column(String(32))
    # The grievance that reached the threshold; the alert outlives its erasure.
    grievance_id: Mapped[int | None] = mapped_column(
        ForeignKey("grievances.id", ondelete="SET NULL")
    )
    count: Mapped[int] = mapped_column()
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

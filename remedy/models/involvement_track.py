"""Involvement tracks: how one organisation is connected to the harm (UNGP 13, 19, 22)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance, Outcome
from remedy.models.organisation import Organisation
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from remedy.models.check_in import CheckIn
    from remedy.models.leverage_action import LeverageAction
    from remedy.models.remedy_action import RemedyAction


class TrackKind(enum.StrEnum):
    CAUSE = "cause"
    CONTRIBUTE = "contribute"
    DIRECTLY_LINKED = "directly_linked"

    @property
    def label(self) -> str:
        return str(TRACK_KIND_LABELS[self])


TRACK_KIND_LABELS = {
    TrackKind.CAUSE: _l("Caused the harm"),
    TrackKind.CONTRIBUTE: _l("Contributed to the harm"),
    TrackKind.DIRECTLY_LINKED: _l("Directly linked to the harm"),
}


class ProceedingKind(enum.StrEnum):
    """A State-based or other process running beside the mechanism's own work."""

    COURT = "court"
    LABOUR_INSPECTORATE = "labour_inspectorate"
    OECD_NATIONAL_CONTACT_POINT = "oecd_national_contact_point"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(PROCEEDING_KIND_LABELS[self])


PROCEEDING_KIND_LABELS = {
    ProceedingKind.COURT: _l("Court"),
    ProceedingKind.LABOUR_INSPECTORATE: _l("Labour inspectorate"),
    ProceedingKind.OECD_NATIONAL_CONTACT_POINT: _l("OECD National Contact Point"),
    ProceedingKind.OTHER: _l("Other proceeding"),
}


class InvolvementTrack(Model):
    """One per organisation and grievance; runs the workflow of its kind."""

    __tablename__ = "involvement_tracks"
    __table_args__ = (UniqueConstraint("grievance_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[TrackKind] = mapped_column(enum_column(TrackKind, "track_kind"))
    state: Mapped[str] = mapped_column(String(32), index=True)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome, "track_outcome"))
    rationale: Mapped[str] = mapped_column(EncryptedText("involvement_tracks.rationale"))
    # The rationale in words for the people (the staff rationale may name sources, staff
    # findings): told on every channel beside how the organisation is involved.
    explanation: Mapped[str | None] = mapped_column(EncryptedText("involvement_tracks.explanation"))
    # While the people contest the classification: the state to go back to if upheld,
    # and their reason.
    contested_state: Mapped[str | None] = mapped_column(String(32))
    contest_reason: Mapped[str | None] = mapped_column(
        EncryptedText("involvement_tracks.contest_reason")
    )
    # An explanation of an automated decision (remedy.cases.explanations): the state it
    # was asked for in (the track goes back there), what the people asked, and what the
    # team explained.
    explanation_asked_in: Mapped[str | None] = mapped_column(String(32))
    explanation_question: Mapped[str | None] = mapped_column(
        EncryptedText("involvement_tracks.explanation_question")
    )
    explanation_given: Mapped[str | None] = mapped_column(
        EncryptedText("involvement_tracks.explanation_given")
    )
    # While parallel proceedings pause the track: the state to resume in, which kind of
    # proceeding, and the team's reason.
    proceedings_state: Mapped[str | None] = mapped_column(String(32))
    proceeding_kind: Mapped[ProceedingKind | None] = mapped_column(
        enum_column(ProceedingKind, "proceeding_kind")
    )
    proceedings_reason: Mapped[str | None] = mapped_column(
        EncryptedText("involvement_tracks.proceedings_reason")
    )
    # What is still missing when the people confirm a remedy only in part.
    gap: Mapped[str | None] = mapped_column(EncryptedText("involvement_tracks.gap"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_in_window_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1)

    grievance: Mapped[Grievance] = relationship(back_populates="tracks")
    organisation: Mapped[Organisation] = relationship()
    remedy_actions: Mapped[list[RemedyAction]] = relationship(
        back_populates="track", order_by="RemedyAction.id", cascade="all, delete-orphan"
    )
    leverage_actions: Mapped[list[LeverageAction]] = relationship(
        back_populates="track", order_by="LeverageAction.id", cascade="all, delete-orphan"
    )
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="track", order_by="CheckIn.id", cascade="all, delete-orphan"
    )
    classifications: Mapped[list[TrackClassification]] = relationship(
        back_populates="track", order_by="TrackClassification.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def workflow_name(self) -> str:
        return self.kind.value

    # Each track workflow's ended states, told by remedy.workflows when it declares them:
    # models sit below the workflows and cannot ask them.
    ended_states_by_workflow: ClassVar[dict[str, frozenset[str]]] = {}

    @property
    def is_ended(self) -> bool:
        return self.state in self.ended_states_by_workflow[self.workflow_name]

    def __repr__(self) -> str:
        return f"<InvolvementTrack {self.id} {self.kind.value} {self.state}>"


class TrackClassification(Model):
    """Every kind a track was given, with why and by whom: reclassification keeps history."""

    __tablename__ = "track_classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    track_id: Mapped[int] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[TrackKind] = mapped_column(enum_column(TrackKind, "classified_kind"))
    rationale: Mapped[str] = mapped_column(EncryptedText("track_classifications.rationale"))
    explanation: Mapped[str | None] = mapped_column(
        EncryptedText("track_classifications.explanation")
    )
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    track: Mapped[InvolvementTrack] = relationship(back_populates="classifications")

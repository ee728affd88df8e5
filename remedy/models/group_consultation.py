"""How a proxy consulted the people before deciding for all of them.

An NGO that accepts a remedy for 40 people speaks for 40 people: the decision is only as
good as the consultation behind it. Each group decision a proxy takes (a proposal
accepted or declined, a check-in answered, consent to share identities) carries one of
these: how the people were consulted, when, how many took part, and notes (encrypted).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.organisation import Organisation
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class ConsultationMethod(enum.StrEnum):
    MEETING = "meeting"
    VISITS = "visits"
    PHONE_CALLS = "phone_calls"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(CONSULTATION_METHOD_LABELS[self])


CONSULTATION_METHOD_LABELS = {
    ConsultationMethod.MEETING: _l("A meeting"),
    ConsultationMethod.VISITS: _l("Individual visits"),
    ConsultationMethod.PHONE_CALLS: _l("Phone calls"),
    ConsultationMethod.OTHER: _l("Another way"),
}


class GroupDecision(enum.StrEnum):
    """The decisions a proxy takes for a whole group."""

    ACCEPT_PROPOSAL = "accept_proposal"
    DECLINE_PROPOSAL = "decline_proposal"
    CHECK_IN = "check_in"
    IDENTITY_CONSENT = "identity_consent"

    @property
    def label(self) -> str:
        return str(GROUP_DECISION_LABELS[self])


GROUP_DECISION_LABELS = {
    GroupDecision.ACCEPT_PROPOSAL: _l("accepting the proposal"),
    GroupDecision.DECLINE_PROPOSAL: _l("declining the proposal"),
    GroupDecision.CHECK_IN: _l("answering whether the remedy was delivered"),
    GroupDecision.IDENTITY_CONSENT: _l("answering whether an organisation may know who they are"),
}


class GroupConsultation(Model):
    __tablename__ = "group_consultations"
    __table_args__ = (CheckConstraint("participants >= 1", name="participants_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    # The track decided on (a proposal, a check-in's remedy), if the decision is about one.
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="CASCADE")
    )
    decision: Mapped[GroupDecision] = mapped_column(enum_column(GroupDecision, "group_decision"))
    method: Mapped[ConsultationMethod] = mapped_column(
        enum_column(ConsultationMethod, "consultation_method")
    )
    held_on: Mapped[date] = mapped_column()
    participants: Mapped[int] = mapped_column()
    notes: Mapped[str | None] = mapped_column(EncryptedText("group_consultations.notes"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    # The member's account that recorded it.
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    grievance: Mapped[Grievance] = relationship()
    organisation: Mapped[Organisation] = relationship()

    def __repr__(self) -> str:
        return f"<GroupConsultation {self.id} {self.decision}>"

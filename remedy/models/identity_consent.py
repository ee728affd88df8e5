"""The people's answer, per organisation, to "may this organisation know who you are?".

The identity question at filing is about the organisations the mechanism serves. Every
other organisation that gets a track on the case (a business partner, above all an
accused one) is asked about separately: one row per grievance and organisation, pending
until the people answer on some channel, or staff record an answer given another way.
"""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.organisation import Organisation
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class ConsentAnswer(enum.StrEnum):
    PENDING = "pending"
    YES = "yes"
    NO = "no"

    @property
    def label(self) -> str:
        return str(CONSENT_ANSWER_LABELS[self])


CONSENT_ANSWER_LABELS = {
    ConsentAnswer.PENDING: _l("Not answered yet: pseudonyms only"),
    ConsentAnswer.YES: _l("Yes: may know who they are"),
    ConsentAnswer.NO: _l("No: pseudonyms only"),
}


class ConsentVia(enum.StrEnum):
    """How the answer reached the mechanism (voice is for the call channel to come)."""

    SMS = "sms"
    VOICE = "voice"
    WEB = "web"
    PROXY = "proxy"
    STAFF = "staff"

    @property
    def label(self) -> str:
        return str(CONSENT_VIA_LABELS[self])


CONSENT_VIA_LABELS = {
    ConsentVia.SMS: _l("by SMS"),
    ConsentVia.VOICE: _l("by phone call"),
    ConsentVia.WEB: _l("on the web status page"),
    ConsentVia.PROXY: _l("by the organisation acting for them"),
    ConsentVia.STAFF: _l("recorded by staff"),
}


class IdentityConsent(Model):
    __tablename__ = "identity_consents"
    __table_args__ = (UniqueConstraint("grievance_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    answer: Mapped[ConsentAnswer] = mapped_column(
        enum_column(ConsentAnswer, "consent_answer"), default=ConsentAnswer.PENDING
    )
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_via: Mapped[ConsentVia | None] = mapped_column(enum_column(ConsentVia, "consent_via"))
    # Who answered: a person of the case, or the account of a proxy or a staff member.
    answered_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    answered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # How an answer given another way reached staff: may describe the person, so encrypted.
    note: Mapped[str | None] = mapped_column(EncryptedText("identity_consents.note"))
    version: Mapped[int] = mapped_column(default=1)

    grievance: Mapped[Grievance] = relationship()
    organisation: Mapped[Organisation] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    def __repr__(self) -> str:
        return f"<IdentityConsent {self.id} {self.answer.value}>"

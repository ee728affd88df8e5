"""Referrals to other mechanisms, and the editable directory they are chosen from."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.identity_consent import ConsentVia
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from remedy.models.grievance import Grievance


class MechanismKind(enum.StrEnum):
    LABOUR_INSPECTORATE = "labour_inspectorate"
    NATIONAL_HUMAN_RIGHTS_INSTITUTION = "national_human_rights_institution"
    OECD_NATIONAL_CONTACT_POINT = "oecd_national_contact_point"
    COURT = "court"
    PARTNER_MECHANISM = "partner_mechanism"
    # Organisations that protect people at risk (human rights defenders' networks, shelters).
    PROTECTION = "protection"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(MECHANISM_KIND_LABELS[self])


MECHANISM_KIND_LABELS = {
    MechanismKind.LABOUR_INSPECTORATE: _l("Labour inspectorate"),
    MechanismKind.NATIONAL_HUMAN_RIGHTS_INSTITUTION: _l("National human rights institution"),
    MechanismKind.OECD_NATIONAL_CONTACT_POINT: _l("OECD National Contact Point"),
    MechanismKind.COURT: _l("Court"),
    MechanismKind.PARTNER_MECHANISM: _l("A partner's own mechanism"),
    MechanismKind.PROTECTION: _l("Protection organisation"),
    MechanismKind.OTHER: _l("Other mechanism"),
}


class ReferralMechanism(Model):
    """A public body or mechanism people can be pointed to, per country (ISO code)."""

    __tablename__ = "referral_mechanisms"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[MechanismKind] = mapped_column(enum_column(MechanismKind, "mechanism_kind"))
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    # The body's own organisation, whose ``referral_partner`` accounts read and answer
    # what is referred to it through the API; None for a body that is not connected.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )


class Referral(Model):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    track_id: Mapped[int | None] = mapped_column(
        ForeignKey("involvement_tracks.id", ondelete="CASCADE")
    )
    mechanism_id: Mapped[int] = mapped_column(ForeignKey("referral_mechanisms.id"))
    note: Mapped[str | None] = mapped_column(EncryptedText("referrals.note"))
    referred_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The people's consent to share their file with the body (None: not recorded yet; a
    # "no" shares nothing personal), how they gave it, and what was shared.
    consent: Mapped[bool | None] = mapped_column()
    consent_via: Mapped[ConsentVia | None] = mapped_column(
        enum_column(ConsentVia, "referral_consent_via")
    )
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared: Mapped[str | None] = mapped_column(EncryptedText("referrals.shared"))
    # The hand-off as the body reports it: reminders follow until an outcome is known.
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    mechanism: Mapped[ReferralMechanism] = relationship()
    grievance: Mapped[Grievance] = relationship()
    updates: Mapped[list[ReferralUpdate]] = relationship(
        back_populates="referral", order_by="ReferralUpdate.id", cascade="all, delete-orphan"
    )


class ReferralUpdateKind(enum.StrEnum):
    ACKNOWLEDGEMENT = "acknowledgement"
    UPDATE = "update"
    OUTCOME = "outcome"

    @property
    def label(self) -> str:
        return str(REFERRAL_UPDATE_LABELS[self])


REFERRAL_UPDATE_LABELS = {
    ReferralUpdateKind.ACKNOWLEDGEMENT: _l("Acknowledged"),
    ReferralUpdateKind.UPDATE: _l("Update"),
    ReferralUpdateKind.OUTCOME: _l("Outcome"),
}


class ReferralUpdate(Model):
    """What the receiving body said, recorded by staff or posted by the body itself."""

    __tablename__ = "referral_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    # The case, so the text is sealed under the case's key (erasure shreds it).
    grievance_id: Mapped[int] = mapped_column(ForeignKey("grievances.id", ondelete="CASCADE"))
    kind: Mapped[ReferralUpdateKind] = mapped_column(
        enum_column(ReferralUpdateKind, "referral_update_kind")
    )
    text: Mapped[str] = mapped_column(EncryptedText("referral_updates.text"))
    recorded_by: Mapped[str | None] = mapped_column(String(64))
    # Posted by the body through the API, not recorded by the team.
    by_partner: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="updates")

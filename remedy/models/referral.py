"""Referrals to other mechanisms, and the editable directory they are chosen from."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


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

    mechanism: Mapped[ReferralMechanism] = relationship()

"""Organisations: the companies and partners involved, NGOs that file, oversight bodies."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class OrganisationKind(enum.StrEnum):
    COMPANY = "company"
    BUSINESS_PARTNER = "business_partner"
    NGO = "ngo"
    OVERSIGHT_BODY = "oversight_body"

    @property
    def label(self) -> str:
        return str(ORGANISATION_KIND_TITLES[self])


ORGANISATION_KIND_TITLES = {
    OrganisationKind.COMPANY: _l("Company"),
    OrganisationKind.BUSINESS_PARTNER: _l("Business partner"),
    OrganisationKind.NGO: _l("NGO"),
    OrganisationKind.OVERSIGHT_BODY: _l("Oversight body"),
}


class Organisation(Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind, "kind"))
    country: Mapped[str | None] = mapped_column(String(2))
    # NGOs file for others only once an admin has vetted them.
    is_vetted: Mapped[bool] = mapped_column(default=False)
    # Why the admin vetted it (the evidence seen), and when: an inquiry asks on what grounds.
    vetting_note: Mapped[str | None] = mapped_column(EncryptedText("organisations.vetting_note"))
    vetted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The mechanism serves this organisation: the identity question at filing is about it.
    # Any other organisation with a track sees pseudonyms until the people agree
    # (``identity_consents``).
    served: Mapped[bool] = mapped_column(default=False)
    # It agreed to be named in the public statistics (remedy.statistics); no one else is.
    publish_statistics: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.kind.value}>"

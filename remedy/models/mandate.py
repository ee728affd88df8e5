"""Mandates: a proxy organisation's authority to act for affected people."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.organisation import Organisation
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class ConsentMethod(enum.StrEnum):
    WRITTEN = "written"
    WITNESSED_VERBAL = "witnessed_verbal"
    THUMBPRINT = "thumbprint"
    RECORDED = "recorded"

    @property
    def label(self) -> str:
        return str(CONSENT_METHOD_LABELS[self])


CONSENT_METHOD_LABELS = {
    ConsentMethod.WRITTEN: _l("Written and signed"),
    ConsentMethod.WITNESSED_VERBAL: _l("Spoken, before a witness"),
    ConsentMethod.THUMBPRINT: _l("Thumbprint"),
    ConsentMethod.RECORDED: _l("Recorded (audio or video)"),
}


class MandateStatus(enum.StrEnum):
    VALID = "valid"
    # Recorded after the people withdrew one of the organisation's mandates: it gives no
    # rights until they confirm it (a code sent to their phone) or a supervisor approves it.
    PENDING = "pending"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class Mandate(Model):
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
    # Who withdrew it (an ActorKind value): "proxy" for the organisation, "complainant" for
    # the person, "staff" or "operator" when the mechanism recorded it for them.
    withdrawn_by: Mapped[str | None] = mapped_column(String(16))
    # How consent was obtained beyond the method, e.g. who witnessed it (personal data).
    consent_note: Mapped[str | None] = mapped_column(EncryptedText("mandates.consent_note"))
    # The consent form, thumbprint or recording, stored encrypted like every attachment.
    evidence_attachment_id: Mapped[int | None] = mapped_column(
        ForeignKey("attachments.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Waiting for the people's consent (``MandateStatus.PENDING``) while True.
    awaiting_consent: Mapped[bool] = mapped_column(default=False)
    # The code sent to the people's phone, hashed like a PIN, with its lifetime and tries.
    consent_code_hash: Mapped[str | None] = mapped_column(String(200))
    consent_code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_code_attempts: Mapped[int] = mapped_column(default=0)
    # How the consent came: "code" (the people gave it) or "supervisor" (approved on evidence).
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consented_via: Mapped[str | None] = mapped_column(String(16))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What the supervisor saw that shows the people agree (personal data).
    approval_evidence: Mapped[str | None] = mapped_column(
        EncryptedText("mandates.approval_evidence")
    )

    organisation: Mapped[Organisation] = relationship()

    def is_valid_on(self, day: date) -> bool:
        return self.withdrawn_at is None and not self.awaiting_consent and day <= self.valid_until

    def status_on(self, day: date) -> MandateStatus:
        if self.withdrawn_at is not None:
            return MandateStatus.WITHDRAWN
        if self.awaiting_consent:
            return MandateStatus.PENDING
        return MandateStatus.VALID if day <= self.valid_until else MandateStatus.EXPIRED

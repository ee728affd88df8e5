"""Root causes (UNGP 31: a source of continuous learning): why grievances arise.

Administrators keep the taxonomy: they add, rename and retire causes, never delete them,
so a retired cause stays on the cases that carry it. A seeded cause's label is the
catalogue's (``SEEDED_LABELS``, translated like every string) until someone renames it;
a renamed or added cause carries its own label and, per language, its translations.

A grievance gets its causes at assessment and has them confirmed (or changed) when it
closes: :class:`RootCauseConfirmation` says who confirmed them and when.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.types import UTCDateTime, utcnow

# Seeded on the first run (migration 0035) and in the demo.
SEEDED_LABELS = {
    "wages": _l("Wages and pay"),
    "land": _l("Land acquisition or use"),
    "water": _l("Water: access, quantity or pollution"),
    "security_forces": _l("Conduct of security forces"),
    "automated_decision": _l("An automated decision"),
    "working_conditions": _l("Working conditions"),
    "community_relations": _l("Community relations and engagement"),
}
MAX_LABEL_LENGTH = 120


class RootCause(Model):
    __tablename__ = "root_causes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    # None: the catalogue's label of a seeded key (``SEEDED_LABELS``).
    label: Mapped[str | None] = mapped_column(String(MAX_LABEL_LENGTH))
    # {language: label} given by an administrator; a language left out shows ``label``.
    translations: Mapped[dict[str, str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Retired: no longer offered for new cases, still shown on the cases that carry it.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def label_in(self, language: str) -> str:
        """The label in ``language``: its own translation, its label, or the catalogue's."""
        own = (self.translations or {}).get(language)
        if own:
            return own
        if self.label:
            return self.label
        seeded = SEEDED_LABELS.get(self.key)
        return str(seeded) if seeded is not None else self.key


class GrievanceRootCause(Model):
    """One root cause on one grievance: who set it, and when."""

    __tablename__ = "grievance_root_causes"
    __table_args__ = (UniqueConstraint("grievance_id", "root_cause_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    root_cause_id: Mapped[int] = mapped_column(ForeignKey("root_causes.id"), index=True)
    set_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    root_cause: Mapped[RootCause] = relationship()


class RootCauseConfirmation(Model):
    """The root causes of a closed grievance were confirmed: by whom, and when."""

    __tablename__ = "root_cause_confirmations"

    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), primary_key=True
    )
    confirmed_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

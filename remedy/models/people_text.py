"""The words the people read, written again in each of their languages.

A remedy action's description, a track's explanation for the people and a decision's
reason are written once by the team (the text that exists on the row itself). A case may
have several people, each with a language of their own: a handler writes the same words
again per language here, and every complainant-facing channel reads the one in the
reader's language, falling back to the row's own text. Staff texts (a track's
``rationale``) never come here.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from remedy.core.extensions import Model
from remedy.models.types import EncryptedText, UTCDateTime, enum_column, utcnow


class TextSubject(enum.StrEnum):
    """What a text belongs to: its row is ``subject_id`` of this kind."""

    REMEDY_ACTION = "remedy_action"
    TRACK = "track"
    GRIEVANCE = "grievance"


class TextField(enum.StrEnum):
    DESCRIPTION = "description"  # a remedy action's
    EXPLANATION = "explanation"  # a track's, for the people
    REASON = "reason"  # the last decision's reason, told to the people


class PeopleText(Model):
    """One text, in one language; written again (not added) when a handler corrects it."""

    __tablename__ = "people_texts"
    __table_args__ = (UniqueConstraint("subject", "subject_id", "field", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The case: its key seals the text, and erasure or retention takes it with the case.
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[TextSubject] = mapped_column(enum_column(TextSubject, "text_subject"))
    subject_id: Mapped[int] = mapped_column()
    field: Mapped[TextField] = mapped_column(enum_column(TextField, "text_field"))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(EncryptedText("people_texts.text"))
    written_by: Mapped[str | None] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        about = f"{self.subject.value} {self.subject_id} {self.field.value}"
        return f"<PeopleText {about} {self.language}>"

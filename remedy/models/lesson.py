"""Lessons learned and measures of non-repetition (UNGP 31 f): what the mechanism changes
so that a root cause does not come back.

A lesson is the team's words about causes, never about people: it carries no personal data
(the form says so), so it is stored in clear and read by handlers and auditors alike.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.root_cause import RootCause
from remedy.models.types import UTCDateTime, enum_column, utcnow

MAX_LESSON_LENGTH = 2000


class LessonStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return str(LESSON_STATUS_LABELS[self])

    @property
    def is_open(self) -> bool:
        return self in (LessonStatus.PLANNED, LessonStatus.IN_PROGRESS)


LESSON_STATUS_LABELS = {
    LessonStatus.PLANNED: _l("Planned"),
    LessonStatus.IN_PROGRESS: _l("In progress"),
    LessonStatus.DONE: _l("Done"),
    LessonStatus.DROPPED: _l("Dropped"),
}


class LessonRootCause(Model):
    __tablename__ = "lesson_root_causes"

    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True
    )
    root_cause_id: Mapped[int] = mapped_column(ForeignKey("root_causes.id"), primary_key=True)


class LessonGrievance(Model):
    """A grievance that taught the lesson (gone with the grievance if it is erased)."""

    __tablename__ = "lesson_grievances"

    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True
    )
    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), primary_key=True
    )


class Lesson(Model):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date] = mapped_column()
    status: Mapped[LessonStatus] = mapped_column(
        enum_column(LessonStatus, "lesson_status"), default=LessonStatus.PLANNED
    )
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    root_causes: Mapped[list[RootCause]] = relationship(
        secondary="lesson_root_causes", order_by=RootCause.id
    )
    grievances: Mapped[list[Grievance]] = relationship(
        secondary="lesson_grievances", order_by=Grievance.id, viewonly=False
    )

    def is_overdue(self, today: date) -> bool:
        return self.status.is_open and self.due_on < today

"""The link between a grievance and the people it concerns."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from remedy.core.extensions import Model
from remedy.models.grievance import Grievance
from remedy.models.person import Person
from remedy.models.types import enum_column


class PersonRole(enum.StrEnum):
    COMPLAINANT = "complainant"
    AFFECTED = "affected"


class GrievancePerson(Model):
    __tablename__ = "grievance_people"

    grievance_id: Mapped[int] = mapped_column(
        ForeignKey("grievances.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    role: Mapped[PersonRole] = mapped_column(enum_column(PersonRole, "person_role"))
    receives_messages: Mapped[bool] = mapped_column(default=True)

    grievance: Mapped[Grievance] = relationship(back_populates="people")
    person: Mapped[Person] = relationship()

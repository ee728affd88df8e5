"""The newest open case a phone number is on: what an unclear message or a message after
STOP is most likely about."""

from __future__ import annotations

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.person import Person
from remedy.workflows.intake import OPEN


def newest_open_case(phone_hashes: list[str]) -> tuple[Grievance, GrievancePerson] | None:
    """The open case last touched among those whose people have this number, with the
    person's link to it; None when the number is on no open case."""
    found = db.session.execute(
        select(Grievance, GrievancePerson)
        .join(GrievancePerson, GrievancePerson.grievance_id == Grievance.id)
        .join(Person, Person.id == GrievancePerson.person_id)
        .where(Person.phone_hash.in_(phone_hashes), Grievance.state.in_(OPEN))
        .order_by(Grievance.updated_at.desc(), Grievance.id.desc())
        .limit(1)
    ).first()
    return None if found is None else (found[0], found[1])

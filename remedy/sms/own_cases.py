"""The cases a number may act on by keyword alone (APPEAL, CONTEST): those of its own
person who receives messages on it, never a discreet one (its phone was never told
about the case without the PIN), newest first."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select

from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.person import Person
from remedy.sms.turn import Turn


def own_cases(turn: Turn, states: Collection[str]) -> list[tuple[Grievance, int | None]]:
    """Each case in one of ``states`` with the person of this number on it."""
    found = db.session.execute(
        select(Grievance, GrievancePerson.person_id)
        .join(GrievancePerson, GrievancePerson.grievance_id == Grievance.id)
        .join(Person, Person.id == GrievancePerson.person_id)
        .where(
            Person.phone_hash.in_(turn.hashes),
            GrievancePerson.receives_messages.is_(True),
            Grievance.discreet_messages.is_(False),
            Grievance.state.in_(states),
        )
        .order_by(Grievance.updated_at.desc(), Grievance.id.desc())
    ).all()
    return [(grievance, person_id) for grievance, person_id in found]

"""The cases a number may act on by keyword alone (APPEAL, CONTEST, EXPLAIN): those of its own
person who receives messages on it, never a discreet one (its phone was never told
about the case without the PIN), newest first."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy import select

from remedy.core.actors import Actor
from remedy.core.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.grievance_person import GrievancePerson
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.person import Person
from remedy.sms.turn import Turn, autoflush
from remedy.workflows.states import IntakeState


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


@dataclass(frozen=True)
class OwnTracks:
    """The tracks of one of the number's cases that offer a keyword's step, and who acts."""

    actor: Actor
    person_id: int | None
    tracks: list[InvolvementTrack]


def own_tracks(
    turn: Turn, offering: Callable[[Grievance, Actor], list[InvolvementTrack]]
) -> OwnTracks | None:
    """The newest case in remedy whose tracks offer the step (``offering`` says which)."""
    for grievance, person_id in own_cases(turn, (IntakeState.IN_REMEDY,)):
        actor = Actor.complainant(grievance.reference, person_id)
        with autoflush():
            tracks = offering(grievance, actor)
        if tracks:
            return OwnTracks(actor, person_id, tracks)
    return None

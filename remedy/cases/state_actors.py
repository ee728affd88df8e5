"""State actors involved in a grievance, recorded as parties without an involvement track.

The police, a local authority, an army or a ministry may have a part in the harm. The
mechanism runs no remedy track with them (remedy from the State is for State-based
mechanisms, UNGP 25-27), but the case must say they are there: the team records who and
what they did. Only the mechanism's own staff read them (the console case page and the
API's grievance detail): a company's staff are not told who accuses the State, which
could expose the people.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.handoffs import is_case_worker
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.models.grievance import Grievance
from remedy.models.state_actor import StateActor, StateActorKind
from remedy.models.types import utcnow

MAX_NAME = 200
MAX_CONDUCT = 2000


def may_read(actor: Actor) -> bool:
    """The mechanism's own staff; never an organisation's staff, a proxy or a partner."""
    return actor.kind is ActorKind.STAFF and actor.organisation_id is None


def state_actors(actor: Actor, grievance: Grievance) -> list[StateActor]:
    if not may_read(actor):
        return []
    return list(
        db.session.scalars(
            select(StateActor)
            .where(StateActor.grievance_id == grievance.id)
            .order_by(StateActor.id)
        )
    )


def check_may_record(actor: Actor) -> None:
    """Refused before anything typed is read: the role decides first."""
    if not is_case_worker(actor):
        raise NotAllowed(_("The mechanism's case workers record State actors."))


@transactional
def record_state_actor(
    actor: Actor, grievance: Grievance, kind: StateActorKind, name: str, conduct: str
) -> StateActor:
    check_may_record(actor)
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            _("Give its name in at most %(count)d characters.", count=MAX_NAME), "name"
        )
    conduct = (conduct or "").strip()
    if not conduct:
        raise InvalidInput(_("Describe it in a few words."), "conduct")
    if len(conduct) > MAX_CONDUCT:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_CONDUCT), "conduct"
        )
    party = StateActor(
        grievance_id=grievance.id,
        kind=kind,
        name=name,
        conduct=conduct,
        recorded_by=actor.id,
        recorded_at=utcnow(),
    )
    db.session.add(party)
    grievance.updated_at = utcnow()  # a change of the case: its version moves on
    db.session.flush()
    audit.record(
        actor, "state_actor.record", "grievance", grievance.reference, after={"kind": kind}
    )
    return party

"""Who may fire a trigger: roles, and relationships to the case (DESIGN §4, docs/workflows.md).

- Team triggers: handlers and supervisors. Staff without an organisation run the
  mechanism and may act on every grievance and track; staff of an organisation
  (a company or partner in a joint mechanism) act only on their own track.
- Supervisor triggers: supervisors, under the same organisation rule.
- Mechanism-supervisor triggers (closing without confirmation, reviewing an
  appeal): supervisors of the mechanism itself, never of an organisation
  involved in the harm.
- Complainant triggers: the affected people (reference and PIN) or a proxy
  whose mandate covers this grievance (and person) and the trigger's scope.
  Never staff.
- System triggers: only Remedy itself.
"""

from __future__ import annotations

from remedy.cases.representation import valid_mandate
from remedy.core.actors import Actor, ActorKind
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.person import Person
from remedy.models.user import Role
from remedy.workflows.definition import MandateScope, Party, Transition

CASE_WORKERS = frozenset({Role.HANDLER, Role.SUPERVISOR})


def _within_organisation(actor: Actor, track: InvolvementTrack | None) -> bool:
    if actor.organisation_id is None:
        return True
    return track is not None and track.organisation_id == actor.organisation_id


def is_complainant(actor: Actor, grievance: Grievance) -> bool:
    return actor.kind is ActorKind.COMPLAINANT and actor.id == grievance.reference


def holds_mandate(
    actor: Actor, grievance: Grievance, scope: MandateScope, person: Person | None = None
) -> bool:
    if actor.kind is not ActorKind.PROXY:
        return False
    return valid_mandate(actor.organisation_id, grievance, scope, person) is not None


def party_includes(
    party: Party,
    actor: Actor,
    grievance: Grievance,
    track: InvolvementTrack | None,
    scope: MandateScope,
) -> bool:
    if party is Party.SYSTEM:
        return actor.kind is ActorKind.SYSTEM
    if party is Party.COMPLAINANT:
        return is_complainant(actor, grievance) or holds_mandate(actor, grievance, scope)
    if actor.kind is not ActorKind.STAFF or not _within_organisation(actor, track):
        return False
    if party is Party.MECHANISM_SUPERVISOR:
        return actor.role is Role.SUPERVISOR and actor.organisation_id is None
    if party is Party.SUPERVISOR:
        return actor.role is Role.SUPERVISOR
    return actor.role in CASE_WORKERS


def may_fire(
    transition: Transition, actor: Actor, grievance: Grievance, track: InvolvementTrack | None
) -> bool:
    return any(
        party_includes(party, actor, grievance, track, transition.mandate_scope)
        for party in transition.who
    )

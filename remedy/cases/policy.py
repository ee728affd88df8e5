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

The work on a track beside its triggers (planning actions, reporting delivery, leverage,
asking again, reclassifying, writing the people's words in their languages) has one rule
each below, returning the refusal or None: the console offers a button exactly when the
rule returns None, and the use case raises what it returns, so the two can never disagree.
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.cases.representation import valid_mandate
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, ServiceError, TriggerRefused
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.person import Person
from remedy.models.user import Role
from remedy.workflows.definition import MandateScope, Party, Transition
from remedy.workflows.states import IntakeState, TrackState

CASE_WORKERS = frozenset({Role.HANDLER, Role.SUPERVISOR})
# Where remedy actions are reported delivered.
DELIVERING_STATES = frozenset({TrackState.IMPLEMENTING, TrackState.PARTNER_REMEDYING})


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


# The work on a track ----------------------------------------------------------------


def track_work_refusal(actor: Actor, track: InvolvementTrack) -> ServiceError | None:
    """The team that handles this track (the mechanism's, or the organisation's own)."""
    if not party_includes(Party.TEAM, actor, track.grievance, track, MandateScope.FOLLOW):
        return NotAllowed(_("You may not do this on this case."))
    return None


def planning_refusal(actor: Actor, track: InvolvementTrack) -> ServiceError | None:
    """Adding or cancelling remedy actions: while the track is open."""
    refusal = track_work_refusal(actor, track)
    if refusal is None and track.is_ended:
        return TriggerRefused(_("This track has ended."), "trigger")
    return refusal


def delivery_refusal(actor: Actor, track: InvolvementTrack) -> ServiceError | None:
    """Reporting an action delivered: while the remedy is being implemented."""
    refusal = track_work_refusal(actor, track)
    if refusal is None and track.state not in DELIVERING_STATES:
        return TriggerRefused(
            _("Actions are reported delivered while the remedy is being implemented."), "trigger"
        )
    return refusal


def leverage_refusal(actor: Actor, track: InvolvementTrack) -> ServiceError | None:
    """Leverage on a business relationship: contribution and direct linkage, while open."""
    refusal = planning_refusal(actor, track)
    if refusal is None and track.kind is TrackKind.CAUSE:
        return InvalidInput(
            _("Leverage is for contributing or directly linked involvement."), "leverage"
        )
    return refusal


def ask_again_refusal(actor: Actor, track: InvolvementTrack) -> ServiceError | None:
    """A new check-in round: while the people are verifying the remedy."""
    refusal = track_work_refusal(actor, track)
    if refusal is None and track.state != TrackState.VERIFYING:
        return TriggerRefused(
            _("Check-ins are sent while the remedy is being verified."), "trigger"
        )
    return refusal


def reclassify_refusal(actor: Actor, track: InvolvementTrack) -> ServiceError | None:
    """Another kind of involvement: the mechanism's own case workers, on an open track."""
    refusal = track_work_refusal(actor, track)
    if refusal is not None:
        return refusal
    if actor.role not in CASE_WORKERS:
        return NotAllowed(_("You may not do this on this case."))
    if actor.organisation_id is not None:
        # An organisation deciding its own involvement could shed its duty to remedy.
        return NotAllowed(
            _("Only the mechanism's own team can change how an organisation is involved.")
        )
    if track.is_ended or track.grievance.state != IntakeState.IN_REMEDY:
        return TriggerRefused(_("Only an open track can be reclassified."), "trigger")
    if track.state == TrackState.CLASSIFICATION_CONTESTED:
        return contest_review_refusal(actor, track)
    return None


def contest_review_refusal(actor: Actor, track: InvolvementTrack) -> ServiceError | None:
    """A contested classification: a mechanism supervisor who did not decide it reviews."""
    if actor.role is not Role.SUPERVISOR or actor.organisation_id is not None:
        return NotAllowed(_("A supervisor of the mechanism reviews a contested classification."))
    decided = track.classifications[-1].decided_by if track.classifications else None
    if decided == actor.id:
        return NotAllowed(
            _("A contested classification is reviewed by someone other than who decided it.")
        )
    return None


def refuse(refusal: ServiceError | None) -> None:
    """Raise the rule's refusal, if any: how use cases apply the rules above."""
    if refusal is not None:
        raise refusal


def people_text_refusal(
    actor: Actor, grievance: Grievance, track: InvolvementTrack | None
) -> ServiceError | None:
    """Writing the people's words in their languages: the team that may write the words
    themselves (a track's own team for its actions and explanation; the mechanism's team
    for a decision on the whole case). Never the people, a proxy or an auditor."""
    if not party_includes(Party.TEAM, actor, grievance, track, MandateScope.FOLLOW):
        return NotAllowed(_("You may not do this on this case."))
    return None

"""A grievance's root causes: set at assessment, confirmed (or changed) at closing.

The mechanism's handlers and supervisors give a case its causes from assessment on; once
the case has closed, the case page asks them to confirm or change the causes, and the
confirmation records who and when. Every change is audited (the causes' keys, never a
word of the case), and a cause that comes back at a place alerts the supervisors
(:func:`remedy.cases.recurrence.check_root_cause_recurrence`).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import delete, select

from remedy.audit import log as audit
from remedy.cases.recurrence import check_root_cause_recurrence
from remedy.cases.root_causes import find_causes
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_see_grievance
from remedy.models.grievance import Grievance
from remedy.models.root_cause import GrievanceRootCause, RootCause, RootCauseConfirmation
from remedy.models.types import utcnow
from remedy.models.user import Role
from remedy.workflows.states import IntakeState

SETTERS = frozenset({Role.HANDLER, Role.SUPERVISOR})
# From assessment on; an ended case's causes are confirmed instead.
SET_STATES = frozenset({IntakeState.ASSESSMENT, IntakeState.IN_REMEDY, IntakeState.UNDER_REVIEW})


def may_set_root_causes(actor: Actor, grievance: Grievance) -> bool:
    """The mechanism's handlers and supervisors, on a case they see, from assessment on."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in SETTERS
        and actor.user_id is not None
        and (grievance.state in SET_STATES or grievance.is_ended)
        and may_see_grievance(actor, grievance)
    )


def causes_of(grievance: Grievance) -> list[RootCause]:
    """Its causes, retired ones included, in the taxonomy's order."""
    query = (
        select(RootCause)
        .join(GrievanceRootCause, GrievanceRootCause.root_cause_id == RootCause.id)
        .where(GrievanceRootCause.grievance_id == grievance.id)
        .order_by(RootCause.id)
    )
    return list(db.session.scalars(query))


def confirmation_of(grievance: Grievance) -> RootCauseConfirmation | None:
    return db.session.get(RootCauseConfirmation, grievance.id)


def awaits_confirmation(grievance: Grievance) -> bool:
    """Closed, and nobody has confirmed its root causes yet."""
    return grievance.is_ended and confirmation_of(grievance) is None


@transactional
def set_root_causes(
    actor: Actor,
    grievance: Grievance,
    cause_ids: Iterable[int],
    expected_version: int | None = None,
) -> list[RootCause]:
    """Give the case these causes (a new one must not be retired; a retired one it already
    has may stay). On a closed case this confirms them: at least one, and who and when
    are recorded. Audited; a cause come back at the place alerts the supervisors."""
    if not may_set_root_causes(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    if expected_version is not None and expected_version != grievance.version:
        raise ConflictError("the grievance changed since it was shown")
    chosen = find_causes(list(cause_ids))
    before = causes_of(grievance)
    added = [cause for cause in chosen if cause not in before]
    removed = [cause for cause in before if cause not in chosen]
    if any(cause.is_retired for cause in added):
        raise InvalidInput(_("This root cause is retired: choose one in use."), "root_cause")
    confirming = grievance.is_ended
    if confirming and not chosen:
        raise InvalidInput(_("Choose at least one root cause to confirm."), "root_cause")
    for cause in removed:
        db.session.execute(
            delete(GrievanceRootCause).where(
                GrievanceRootCause.grievance_id == grievance.id,
                GrievanceRootCause.root_cause_id == cause.id,
            )
        )
    db.session.add_all(
        GrievanceRootCause(
            grievance_id=grievance.id, root_cause_id=cause.id, set_by_user_id=actor.user_id
        )
        for cause in added
    )
    if confirming:
        confirmation = confirmation_of(grievance) or RootCauseConfirmation(
            grievance_id=grievance.id
        )
        confirmation.confirmed_by_user_id = int(actor.user_id or 0)
        confirmation.confirmed_at = utcnow()
        db.session.add(confirmation)
    if added or removed or confirming:
        audit.record(
            actor,
            "grievance.root_causes_confirm" if confirming else "grievance.root_causes",
            "grievance",
            grievance.reference,
            before={"root_causes": [cause.key for cause in before]},
            after={
                "root_causes": [cause.key for cause in chosen],
                "added": [cause.key for cause in added],
                "removed": [cause.key for cause in removed],
            },
        )
    db.session.flush()
    check_root_cause_recurrence(
        grievance, chosen if confirming else added, settings().default_language
    )
    return chosen

"""Who works on a grievance: assigning, taking and giving back, always audited.

Rules (docs/queue.md):
- Only case workers act: handlers and supervisors. Auditors and administrators read,
  protection officers protect identities; none of them assign.
- A supervisor assigns any case worker who may see the grievance, or clears the
  assignment. A handler takes an unassigned grievance (assigns it to themselves) and
  gives back their own; they never move someone else's.
- Assignees are the mechanism's own staff, or staff of the actor's own organisation.
  An organisation's staff never take a grievance away from the mechanism's staff or
  from another organisation: they change an assignment only when it is empty or held
  by one of their own.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, or_, select

from remedy.audit import log as audit
from remedy.cases.policy import CASE_WORKERS
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_change, may_see_grievance
from remedy.models.grievance import Grievance
from remedy.models.user import Role, User
from remedy.queue.rows import user_labels


def _is_case_worker(actor: Actor) -> bool:
    return actor.kind is ActorKind.STAFF and actor.role in CASE_WORKERS and may_change(actor)


def _holder_organisation(grievance: Grievance) -> int | None:
    holder = grievance.assigned_user
    return holder.organisation_id if holder is not None else None


def _may_touch(actor: Actor, grievance: Grievance) -> bool:
    """An organisation's staff leave alone what someone outside their organisation holds."""
    if actor.organisation_id is None or grievance.assigned_user_id is None:
        return True
    return _holder_organisation(grievance) == actor.organisation_id


def eligible_assignees(actor: Actor, grievance: Grievance) -> list[User]:
    """Active case workers this actor may hand the grievance to, by name."""
    if not _is_case_worker(actor) or not may_see_grievance(actor, grievance):
        return []
    if actor.role is not Role.SUPERVISOR:
        own = actor.staff_user_id
        return [user for user in [db.session.get(User, own)] if user is not None] if own else []
    same_organisation: ColumnElement[bool] = User.organisation_id.is_(None)
    if actor.organisation_id is not None:
        same_organisation = or_(same_organisation, User.organisation_id == actor.organisation_id)
    query = select(User).where(
        User.active.is_(True), User.role.in_(CASE_WORKERS), same_organisation
    )
    return list(db.session.scalars(query.order_by(User.email)))


def _check_assignee(actor: Actor, grievance: Grievance, user_id: int) -> User:
    user = db.session.get(User, user_id)
    allowed = {candidate.id for candidate in eligible_assignees(actor, grievance)}
    if user is None or user.id not in allowed:
        raise InvalidInput(_("This person cannot be given this grievance."), "user_id")
    return user


def _refusal(actor: Actor, grievance: Grievance, user_id: int | None) -> str | None:
    if not _is_case_worker(actor) or not may_see_grievance(actor, grievance):
        return _("You may not change who works on this grievance.")
    if not _may_touch(actor, grievance):
        return _("Someone outside your organisation works on this grievance.")
    if actor.role is Role.SUPERVISOR:
        return None
    me = actor.staff_user_id
    if user_id is not None and user_id != me:
        return _("Only a supervisor can give a grievance to someone else.")
    if user_id is not None and grievance.assigned_user_id not in (None, me):
        return _("Someone else works on this grievance: ask a supervisor to move it.")
    if user_id is None and grievance.assigned_user_id not in (None, me):
        return _("Only a supervisor can take a grievance away from someone.")
    return None


@transactional
def assign(
    actor: Actor,
    grievance: Grievance,
    user_id: int | None,
    expected_version: int | None = None,
) -> None:
    """Give the grievance to ``user_id``, or to no one (None); audited, version-checked."""
    if expected_version is not None and expected_version != grievance.version:
        raise ConflictError("the grievance changed since it was shown")
    refusal = _refusal(actor, grievance, user_id)
    if refusal is not None:
        raise NotAllowed(refusal)
    if user_id is not None:
        _check_assignee(actor, grievance, user_id)
    before = grievance.assigned_user_id
    if before == user_id:
        return
    grievance.assigned_user_id = user_id
    audit.record(
        actor,
        "grievance.assign",
        "grievance",
        grievance.reference,
        before={"assigned_user_id": before},
        after={"assigned_user_id": user_id},
    )
    db.session.flush()


def take(actor: Actor, grievance: Grievance, expected_version: int | None = None) -> None:
    """A case worker takes an unassigned grievance."""
    me = actor.staff_user_id
    if me is None:
        raise NotAllowed(_("You may not change who works on this grievance."))
    assign(actor, grievance, me, expected_version)


def case_assignment(actor: Actor, grievance: Grievance) -> dict[str, Any]:
    """What the case page shows and offers about the assignment.

    Keys: ``assignee_id``; ``assignee_label`` (a name, or "No one"); ``choices``: (user
    id, label) pairs the actor may pick, besides no one (for a handler: only themselves);
    ``may_assign`` (show the form at all); ``may_take`` (a handler may take it now);
    ``may_give_back`` (the handler holding it may give it back).
    """
    holder = grievance.assigned_user_id
    labels = user_labels({holder}) if holder is not None else {}
    me = actor.staff_user_id
    users = eligible_assignees(actor, grievance) if _may_touch(actor, grievance) else []
    supervisor = actor.role is Role.SUPERVISOR and bool(users)
    mine = any(user.id == me for user in users)
    may_take = not supervisor and mine and holder is None
    may_give_back = not supervisor and mine and holder == me
    return {
        "assignee_id": holder,
        "assignee_label": labels.get(holder) if holder is not None else _("No one"),
        "choices": [(str(user.id), user.display_name or user.email) for user in users],
        "may_assign": supervisor or may_take or may_give_back,
        "may_take": may_take,
        "may_give_back": may_give_back,
    }

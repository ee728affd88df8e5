"""Revealing a withheld identity: four eyes, a reason, a time limit, and an audit trail.

When a complainant withholds their identity, the console shows pseudonyms only. A
protection officer of the mechanism who needs the identity (to protect the person,
say) asks with a reason; a second person, another protection officer or a mechanism
supervisor and never the requester, approves or refuses. An approved reveal shows the
identity to the requester alone, for ``REMEDY_REVEAL_MINUTES`` (30 by default); then
it shows nothing again. Every request, decision and every page that showed a revealed
identity is an audit event. Staff of an organisation involved in the harm never take
part: withholding the identity from them is the point.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.identity.second_person import refuse_unless_second_person
from remedy.models.grievance import Grievance
from remedy.models.identity_reveal import IdentityReveal, RevealStatus
from remedy.models.types import utcnow
from remedy.models.user import Role

MAX_REASON = 2000
DEFAULT_REVEAL_MINUTES = 30
APPROVER_ROLES = frozenset({Role.PROTECTION_OFFICER, Role.SUPERVISOR})


def reveal_lifetime() -> timedelta:
    return timedelta(minutes=int(settings().reveal_minutes))


def _mechanism_staff(actor: Actor, roles: frozenset[Role]) -> bool:
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in roles
        and actor.staff_user_id is not None
    )


def may_request(actor: Actor) -> bool:
    return _mechanism_staff(actor, frozenset({Role.PROTECTION_OFFICER}))


def may_decide(actor: Actor, reveal: IdentityReveal) -> bool:
    """A second person: another protection officer or a mechanism supervisor."""
    return (
        _mechanism_staff(actor, APPROVER_ROLES)
        and reveal.status is RevealStatus.PENDING
        and actor.staff_user_id != reveal.requested_by_user_id
    )


def _clean(value: str | None, field: str, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(_("Say why the identity is needed."), field)
    if len(cleaned) > MAX_REASON:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_REASON), field)
    return cleaned or None


def pending_request(actor: Actor, grievance: Grievance) -> IdentityReveal | None:
    return db.session.scalar(
        select(IdentityReveal).where(
            IdentityReveal.grievance_id == grievance.id,
            IdentityReveal.requested_by_user_id == actor.staff_user_id,
            IdentityReveal.status == RevealStatus.PENDING,
        )
    )


@transactional
def request_reveal(actor: Actor, grievance: Grievance, reason: str) -> IdentityReveal:
    if not may_request(actor):
        raise NotAllowed(_("Only a protection officer of the mechanism can ask for this."))
    if not grievance.identity_withheld:
        raise InvalidInput(_("The complainant did not withhold their identity."), "reason")
    cleaned = _clean(reason, "reason", required=True)
    if pending_request(actor, grievance) is not None:
        raise InvalidInput(_("You already asked; a second person has not decided yet."), "reason")
    user_id = actor.staff_user_id
    assert user_id is not None
    assert cleaned is not None
    reveal = IdentityReveal(grievance_id=grievance.id, requested_by_user_id=user_id, reason=cleaned)
    db.session.add(reveal)
    db.session.flush()
    audit.record(
        actor,
        "identity.request",
        "grievance",
        grievance.reference,
        after={"reveal_id": reveal.id},
    )
    return reveal


def get_reveal(grievance: Grievance, reveal_id: int) -> IdentityReveal:
    reveal = db.session.get(IdentityReveal, reveal_id)
    if reveal is None or reveal.grievance_id != grievance.id:
        raise NotFound(_("There is no such request."))
    return reveal


@transactional
def decide_reveal(
    actor: Actor,
    reveal: IdentityReveal,
    approve: bool,
    note: str | None = None,
    expected_version: int | None = None,
) -> IdentityReveal:
    """Approve (the reveal starts now) or refuse; a request is decided once."""
    refuse_unless_second_person(actor, reveal, RevealStatus.PENDING, may_decide, expected_version)
    now = utcnow()
    reveal.status = RevealStatus.APPROVED if approve else RevealStatus.REFUSED
    reveal.decided_by_user_id = actor.staff_user_id
    reveal.decision_note = _clean(note, "note", required=False)
    reveal.decided_at = now
    reveal.expires_at = now + reveal_lifetime() if approve else None
    audit.record(
        actor,
        "identity.approve" if approve else "identity.refuse",
        "grievance",
        reveal.grievance.reference,
        after={
            "reveal_id": reveal.id,
            "requested_by": str(reveal.requested_by_user_id),
            **({"expires_at": reveal.expires_at} if approve else {}),
        },
    )
    db.session.flush()
    return reveal


def active_reveal(
    actor: Actor, grievance: Grievance, now: datetime | None = None
) -> IdentityReveal | None:
    """The approved, unexpired reveal this actor asked for, if any; nobody else's counts."""
    user_id = actor.staff_user_id
    if user_id is None or not may_request(actor):
        return None
    moment = now or utcnow()
    return db.session.scalar(
        select(IdentityReveal)
        .where(
            IdentityReveal.grievance_id == grievance.id,
            IdentityReveal.requested_by_user_id == user_id,
            IdentityReveal.status == RevealStatus.APPROVED,
            IdentityReveal.expires_at > moment,
        )
        .order_by(IdentityReveal.expires_at.desc())
        .limit(1)
    )


@transactional
def record_view(actor: Actor, grievance: Grievance, reveal: IdentityReveal) -> None:
    """Each page that showed a revealed identity leaves a trace."""
    audit.record(
        actor,
        "identity.view",
        "grievance",
        grievance.reference,
        after={"reveal_id": reveal.id},
    )


def reveals_for(grievance: Grievance) -> list[IdentityReveal]:
    return list(
        db.session.scalars(
            select(IdentityReveal)
            .where(IdentityReveal.grievance_id == grievance.id)
            .order_by(IdentityReveal.requested_at.desc(), IdentityReveal.id.desc())
        )
    )


def pending_for(actor: Actor) -> list[IdentityReveal]:
    """Requests waiting for this actor's decision (every pending one but their own)."""
    user_id = actor.staff_user_id
    if not _mechanism_staff(actor, APPROVER_ROLES):
        return []
    return list(
        db.session.scalars(
            select(IdentityReveal)
            .where(
                IdentityReveal.status == RevealStatus.PENDING,
                IdentityReveal.requested_by_user_id != user_id,
            )
            .order_by(IdentityReveal.requested_at, IdentityReveal.id)
        )
    )

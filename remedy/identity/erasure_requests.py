"""Erasure on request: four eyes, a reason, and an audit trail, as for identity reveals.

When someone asks the mechanism to erase what it holds about them, a protection officer
of the mechanism records the request with a reason on the case page; a second person,
another protection officer or a mechanism supervisor and never the requester, approves
or refuses. Approval erases at once, exactly as retention does
(``remedy.identity.erasure``); a refusal leaves everything. Both steps are audit events.

Only an ended case (resolved, withdrawn, not admissible...) can be erased. An open case
is still being worked on for the people; erasing it would end that work without them.
People who want out withdraw first (on every channel, in their own words), and the team
never closes a case in their name: withdrawal stays the people's decision.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.identity.erasure import erase_case
from remedy.identity.second_person import refuse_unless_second_person
from remedy.models.erasure_request import ErasureRequest, ErasureStatus
from remedy.models.grievance import Grievance
from remedy.models.types import utcnow
from remedy.models.user import Role

MAX_REASON = 2000
APPROVER_ROLES = frozenset({Role.PROTECTION_OFFICER, Role.SUPERVISOR})


def _mechanism_staff(actor: Actor, roles: frozenset[Role]) -> bool:
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in roles
        and actor.staff_user_id is not None
    )


def may_request(actor: Actor, grievance: Grievance) -> bool:
    return (
        _mechanism_staff(actor, frozenset({Role.PROTECTION_OFFICER}))
        and grievance.erased_at is None
    )


def may_decide(actor: Actor, request: ErasureRequest) -> bool:
    """A second person: another protection officer or a mechanism supervisor."""
    return (
        _mechanism_staff(actor, APPROVER_ROLES)
        and request.status is ErasureStatus.PENDING
        and actor.staff_user_id != request.requested_by_user_id
    )


def may_read_requests(actor: Actor) -> bool:
    return _mechanism_staff(actor, APPROVER_ROLES)


def _clean(value: str | None, field: str, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(_("Say who asked for the erasure, and how."), field)
    if len(cleaned) > MAX_REASON:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_REASON), field)
    return cleaned or None


def pending_for_case(grievance: Grievance) -> ErasureRequest | None:
    return db.session.scalar(
        select(ErasureRequest).where(
            ErasureRequest.grievance_id == grievance.id,
            ErasureRequest.status == ErasureStatus.PENDING,
        )
    )


@transactional
def request_erasure(actor: Actor, grievance: Grievance, reason: str) -> ErasureRequest:
    if not may_request(actor, grievance):
        raise NotAllowed(_("Only a protection officer of the mechanism can ask for this."))
    if not grievance.is_ended:
        raise InvalidInput(
            _("Only an ended case can be erased. The people can withdraw it first."), "reason"
        )
    cleaned = _clean(reason, "reason", required=True)
    if pending_for_case(grievance) is not None:
        raise InvalidInput(_("An erasure is already waiting for a second person."), "reason")
    assert actor.staff_user_id is not None
    assert cleaned is not None
    request = ErasureRequest(
        grievance_id=grievance.id, requested_by_user_id=actor.staff_user_id, reason=cleaned
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        actor, "erasure.request", "grievance", grievance.reference, after={"request_id": request.id}
    )
    return request


def get_request(grievance: Grievance, request_id: int) -> ErasureRequest:
    request = db.session.get(ErasureRequest, request_id)
    if request is None or request.grievance_id != grievance.id:
        raise NotFound(_("There is no such request."))
    return request


@transactional
def decide_erasure(
    actor: Actor,
    request: ErasureRequest,
    approve: bool,
    note: str | None = None,
    expected_version: int | None = None,
) -> ErasureRequest:
    """Approve (the case is erased now) or refuse; a request is decided once."""
    refuse_unless_second_person(actor, request, ErasureStatus.PENDING, may_decide, expected_version)
    request.status = ErasureStatus.APPROVED if approve else ErasureStatus.REFUSED
    request.decided_by_user_id = actor.staff_user_id
    request.decision_note = _clean(note, "note", required=False)
    request.decided_at = utcnow()
    grievance = request.grievance
    audit.record(
        actor,
        "erasure.approve" if approve else "erasure.refuse",
        "grievance",
        grievance.reference,
        after={"request_id": request.id, "requested_by": str(request.requested_by_user_id)},
    )
    db.session.flush()
    if approve:
        erase_case(actor, grievance, "request")
    return request


def requests_for(grievance: Grievance) -> list[ErasureRequest]:
    return list(
        db.session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.grievance_id == grievance.id)
            .order_by(ErasureRequest.requested_at.desc(), ErasureRequest.id.desc())
        )
    )

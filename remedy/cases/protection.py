"""Changing a case's reprisal risk after filing, at any stage, with a reason.

Threats often come after a complaint is made, so the risk recorded at intake is
reviewed by the people who protect complainants: the mechanism's protection officers
and supervisors (never an organisation's staff, who may be the ones feared). A
recorded risk makes the messages to the people's phones discreet from then on;
lowering the risk leaves discreet messages on, since the people may rely on them.
The reason is kept as an internal note (encrypted at rest); the audit event carries
the risk before and after, and the note that says why, never its words.
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.free_text import required_text
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_see_grievance
from remedy.models.grievance import Grievance, ReprisalRisk
from remedy.models.internal_note import InternalNote
from remedy.models.user import Role

PROTECTORS = frozenset({Role.PROTECTION_OFFICER, Role.SUPERVISOR})
MAX_REASON = 2000


def make_discreet(
    actor: Actor, grievance: Grievance, action: str, cause: dict[str, object]
) -> None:
    """High risk and discreet messages, what a fear of reprisal brings at once, audited
    with its cause (an incident, a withdrawal out of fear)."""
    before = {
        "reprisal_risk": grievance.reprisal_risk.value,
        "discreet_messages": grievance.discreet_messages,
    }
    grievance.reprisal_risk = ReprisalRisk.HIGH
    grievance.discreet_messages = True
    audit.record(
        actor,
        action,
        "grievance",
        grievance.reference,
        before=before,
        after={"reprisal_risk": "high", "discreet_messages": True, **cause},
    )


def may_change_reprisal_risk(actor: Actor, grievance: Grievance) -> bool:
    """The mechanism's protection officers and supervisors, on a case they see."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in PROTECTORS
        and actor.user_id is not None
        and may_see_grievance(actor, grievance)
    )


def _reason(text: str | None) -> str:
    return required_text(text, "reason", MAX_REASON, _("Say why the risk changes."))


@transactional
def change_reprisal_risk(
    actor: Actor, grievance: Grievance, risk: ReprisalRisk, reason: str | None
) -> Grievance:
    if not may_change_reprisal_risk(actor, grievance):
        raise NotAllowed(_("You may not do this on this case."))
    if risk is grievance.reprisal_risk:
        raise InvalidInput(_("The case already has this risk."), "risk")
    cleaned = _reason(reason)
    before = {
        "reprisal_risk": grievance.reprisal_risk.value,
        "discreet_messages": grievance.discreet_messages,
    }
    grievance.reprisal_risk = risk
    grievance.discreet_messages = grievance.discreet_messages or risk is not ReprisalRisk.NONE
    note = InternalNote(
        grievance_id=grievance.id,
        author_user_id=actor.user_id,
        author_organisation_id=None,
        text=_("Reprisal risk changed: %(reason)s", reason=cleaned),
    )
    db.session.add(note)
    db.session.flush()
    audit.record(
        actor,
        "grievance.reprisal_risk",
        "grievance",
        grievance.reference,
        before=before,
        after={
            "reprisal_risk": risk.value,
            "discreet_messages": grievance.discreet_messages,
            "note_id": note.id,
        },
    )
    return grievance

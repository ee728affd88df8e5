"""Withdrawing a case with the reason the people give, if they give one.

The reason is one of a few (``WithdrawalReason``) and a note in their own words, both
optional, kept on the grievance (the note encrypted). The audit event says which reason
and whether a note was written, never its words; it is the mechanism's own, like a changed
reprisal risk: an organisation the case is about must not read that the people fear it.

Fear of consequences is a reprisal signal. Withdrawing does not end the risk: the people
may be pressed to give up. So the case's reprisal risk is raised to high and messages
to their phones become discreet before the withdrawal's own message is written, in the
same unit of work (a refused withdrawal changes nothing), where protection officers and
supervisors see it (the case page, the supervisor page's list of withdrawals out of
fear). Nothing here is counted in public statistics.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases import intake
from remedy.cases.protection import make_discreet
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.free_text import optional_text
from remedy.core.unit_of_work import transactional
from remedy.identity.visibility import may_see_grievance
from remedy.models.grievance import Grievance
from remedy.models.withdrawal import WithdrawalReason
from remedy.workflows.states import IntakeState

MAX_NOTE = 2000


def parse_reason(value: str | None) -> WithdrawalReason | None:
    """A reason chosen on a form: none, or one of the listed ones (else a clear error)."""
    if not value:
        return None
    try:
        return WithdrawalReason(value)
    except ValueError:
        raise InvalidInput(_("Choose one of the listed options."), "reason") from None


def _note(text: str | None) -> str | None:
    return optional_text(text, "note", MAX_NOTE)


@transactional
def withdraw(
    actor: Actor,
    grievance: Grievance,
    reason: WithdrawalReason | None = None,
    note: str | None = None,
) -> None:
    """Withdraw (who may, and when, is the workflow's rule), keeping why if they said."""
    cleaned = _note(note)
    if reason is WithdrawalReason.AFRAID:
        # First: the message saying the case is withdrawn is written discreet already.
        make_discreet(actor, grievance, "grievance.reprisal_risk", {"withdrawal": "afraid"})
    intake.withdraw(actor, grievance)
    if reason is None and cleaned is None:
        return
    grievance.withdrawal_reason = reason
    grievance.withdrawal_note = cleaned
    audit.record(
        actor,
        "grievance.withdrawal_reason",
        "grievance",
        grievance.reference,
        after={"reason": reason.value if reason else None, "note": cleaned is not None},
    )


def withdrawn_in_fear(actor: Actor, since: datetime, limit: int = 20) -> list[Grievance]:
    """Cases withdrawn out of fear since then that the actor sees, the newest first."""
    query = (
        select(Grievance)
        .where(
            Grievance.state == IntakeState.WITHDRAWN,
            Grievance.withdrawal_reason == WithdrawalReason.AFRAID,
            Grievance.ended_at >= since,
        )
        .order_by(Grievance.ended_at.desc())
        .limit(limit * 4)
    )
    found = [g for g in db.session.scalars(query) if may_see_grievance(actor, g)]
    return found[:limit]

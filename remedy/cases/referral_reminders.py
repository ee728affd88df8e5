"""Reminders that follow a hand-off until its outcome is known (a periodic job).

A referral becomes a hand-off when the team records the people's consent (yes or no):
the body then has a pack to act on. Until it acknowledges, the handlers are alerted
every ``referral_acknowledge`` span of the jurisdiction policy (14 days by default);
after that, every ``referral_update`` span (30 days) without news. The body's own
``referral_partner`` accounts get the same reminder as a console message, which the API
shows them beside each referral (``awaiting``, ``reminded_at``). An outcome stops it all.
Each reminder is one unit of work; a rerun within the span repeats nothing.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.notify import notify_staff
from remedy.cases.triggers import policy_for
from remedy.core.actors import SYSTEM
from remedy.core.errors import ConflictError
from remedy.core.extensions import db
from remedy.core.unit_of_work import atomic
from remedy.models.referral import Referral
from remedy.models.types import utcnow
from remedy.models.user import Role

HANDLERS = (Role.HANDLER, Role.SUPERVISOR)


def reminder_due(referral: Referral, now: datetime) -> bool:
    if referral.outcome_at is not None or referral.consent_at is None:
        return False
    policy = policy_for(referral.grievance)
    key = "referral_acknowledge" if referral.acknowledged_at is None else "referral_update"
    span = policy.deadline_for(key)
    if span is None:
        return False
    moments = (referral.consent_at, referral.updated_at, referral.reminded_at)
    last = max(moment for moment in moments if moment is not None)
    return now >= last + span


def _remind(referral: Referral, now: datetime) -> None:
    grievance = referral.grievance
    silent = referral.acknowledged_at is not None
    event = audit.record(
        SYSTEM,
        "referral.reminder",
        "referral",
        referral.id,
        after={"awaiting": "update" if silent else "acknowledgement"},
    )
    since = referral.updated_at if silent else referral.consent_at
    values = {"mechanism": referral.mechanism.name, "date": format_date(since, "medium")}
    template = "staff_referral_silent" if silent else "staff_referral_unacknowledged"
    notify_staff(grievance, template, f"a{event.seq}", roles=HANDLERS, values=values)
    if referral.mechanism.organisation_id is not None:
        notify_staff(
            grievance,
            "partner_referral_reminder",
            f"a{event.seq}",
            roles=(Role.REFERRAL_PARTNER,),
            organisation_id=referral.mechanism.organisation_id,
            values={**values, "referral": referral.id},
        )
    referral.reminded_at = now


def run_referral_reminders(now: datetime | None = None) -> int:
    """Remind about every hand-off that is due; the number reminded."""
    now = now or utcnow()
    waiting = db.session.scalars(
        select(Referral.id).where(Referral.outcome_at.is_(None), Referral.consent_at.is_not(None))
    ).all()
    reminded = 0
    for referral_id in waiting:
        try:
            with atomic():
                referral = db.session.get(Referral, referral_id)
                if referral is None or not reminder_due(referral, now):
                    continue
                _remind(referral, now)
                reminded += 1
        except ConflictError:
            continue
    return reminded

"""A referral as a hand-off: the people's consent, what was shared, and what the body says.

A referral used to end a track and nothing followed. Now the team records whether the
people agreed to share their file with the receiving body (and how they said so) and what
was shared; the body's acknowledgement, updates and outcome are recorded by the team, or
posted by the body itself through the API (a ``referral_partner`` account of the
organisation linked to the mechanism). Reminders follow until an outcome is known
(:mod:`remedy.cases.referral_reminders`).

Who sees a referral: the mechanism's own case workers, on every case; a referral partner,
only the referrals made to its own mechanism. Nobody else.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.cases.intake import MAX_TEXT
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound, TriggerRefused
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.models.identity_consent import ConsentVia
from remedy.models.referral import Referral, ReferralMechanism, ReferralUpdate, ReferralUpdateKind
from remedy.models.types import MAX_ROW_ID, utcnow
from remedy.models.user import Role

CASE_WORKERS = frozenset({Role.HANDLER, Role.SUPERVISOR, Role.PROTECTION_OFFICER})
# What staff record when they take a "yes": the file as the pack shows it.
DEFAULT_SHARED = "case file: people, description, place, dates, organisations involved"


def is_partner(actor: Actor) -> bool:
    return actor.kind is ActorKind.PARTNER and actor.organisation_id is not None


def is_case_worker(actor: Actor) -> bool:
    """The mechanism's own handlers, supervisors and protection officers."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role in CASE_WORKERS
    )


def may_read(actor: Actor, referral: Referral) -> bool:
    if is_partner(actor):
        return referral.mechanism.organisation_id == actor.organisation_id
    # Auditors and administrators read the mechanism's record too, never changing it.
    return actor.kind is ActorKind.STAFF and actor.organisation_id is None


def readable_referrals(actor: Actor, after: int | None = None, limit: int = 50) -> list[Referral]:
    """Newest first: a partner's, those made to its own mechanism(s); the mechanism's
    staff, every one. ``after``: continue below this id."""
    query = select(Referral).order_by(Referral.id.desc()).limit(limit)
    if is_partner(actor):
        query = query.join(ReferralMechanism).where(
            ReferralMechanism.organisation_id == actor.organisation_id
        )
    elif not (actor.kind is ActorKind.STAFF and actor.organisation_id is None):
        raise NotAllowed(_("Your account may not read referrals."))
    if after is not None:
        query = query.where(Referral.id < after)
    return list(db.session.scalars(query))


def find_referral(actor: Actor, referral_id: int) -> Referral:
    """The referral if this actor may read it; 404 otherwise (never says it exists)."""
    referral = db.session.get(Referral, referral_id) if 1 <= referral_id <= MAX_ROW_ID else None
    if referral is None or not may_read(actor, referral):
        raise NotFound(_("There is no such referral."))
    return referral


def _text(value: str | None, field: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(_("Describe it in a few words."), field)
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_TEXT), field)
    return cleaned


@transactional
def record_consent(
    actor: Actor, referral: Referral, consent: bool, via: ConsentVia, shared: str | None = None
) -> None:
    """The people's answer to "may we share your file with this body?". Without a yes, the
    pack holds no personal data and nothing is recorded as shared."""
    if not is_case_worker(actor):
        raise NotAllowed(_("The mechanism's case workers record the people's consent."))
    referral.consent = consent
    referral.consent_via = via
    referral.consent_at = utcnow()
    referral.shared = (_text(shared, "shared") if shared else DEFAULT_SHARED) if consent else None
    audit.record(
        actor,
        "referral.consent",
        "referral",
        referral.id,
        after={"consent": consent, "via": via},
    )


@transactional
def record_update(
    actor: Actor, referral: Referral, kind: ReferralUpdateKind, text: str
) -> ReferralUpdate:
    """The body acknowledges, tells how it goes, or tells the outcome (which ends the
    reminders). Posted by the body itself or recorded by a case worker."""
    by_partner = is_partner(actor)
    if not (by_partner and may_read(actor, referral)) and not is_case_worker(actor):
        raise NotAllowed(_("You may not record news of this referral."))
    if referral.outcome_at is not None:
        # The referral as it is now refuses it, whatever was sent: a conflict, not bad input.
        raise TriggerRefused(_("The outcome is already recorded: this hand-off is over."), "kind")
    now = utcnow()
    update = ReferralUpdate(
        referral=referral,
        grievance_id=referral.grievance_id,
        kind=kind,
        text=_text(text, "text"),
        recorded_by=actor.id,
        by_partner=by_partner,
        created_at=now,
    )
    db.session.add(update)
    referral.acknowledged_at = referral.acknowledged_at or now
    referral.updated_at = now
    if kind is ReferralUpdateKind.OUTCOME:
        referral.outcome_at = now
    db.session.flush()
    audit.record(
        actor,
        f"referral.{kind.value}",
        "referral",
        referral.id,
        after={"update_id": update.id, "by_partner": by_partner},
    )
    return update


def awaiting(referral: Referral) -> str | None:
    """What the hand-off waits for: the body's acknowledgement, its news, or nothing."""
    if referral.outcome_at is not None:
        return None
    return "acknowledgement" if referral.acknowledged_at is None else "outcome"

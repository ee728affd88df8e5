"""Identity per organisation: may this organisation know who the people are?

At filing the people say whether the organisations the mechanism serves
(``Organisation.served``) may know who they are (``Grievance.identity_withheld``). Every
other organisation that gets a track (a business partner, another contributor, above all
an accused one) is a question of its own: it sees pseudonyms until the people answer yes
for it. Their answer is one :class:`IdentityConsent` per grievance and organisation.

The people answer on their own channel (SMS, web status page, the call channel to come)
or through an NGO holding their mandate: those answers go through
:mod:`remedy.cases.identity_consent`, which knows complainants and mandates. A protection
officer of the mechanism records an answer given another way (in person, by letter), with
a note saying how. Every answer is an audit event; the note, which may describe the
person, is encrypted and never in the log.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.models.ask import Ask, AskKind
from remedy.models.grievance import Grievance
from remedy.models.identity_consent import ConsentAnswer, ConsentVia, IdentityConsent
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.organisation import Organisation
from remedy.models.types import utcnow
from remedy.models.user import Role

MAX_NOTE = 2000


def is_served(organisation_id: int) -> bool:
    organisation = db.session.get(Organisation, organisation_id)
    return organisation is not None and organisation.served


def consent_for(grievance: Grievance, organisation_id: int) -> IdentityConsent | None:
    return db.session.scalar(
        select(IdentityConsent).where(
            IdentityConsent.grievance_id == grievance.id,
            IdentityConsent.organisation_id == organisation_id,
        )
    )


def consents_of(grievance: Grievance) -> list[IdentityConsent]:
    return list(
        db.session.scalars(
            select(IdentityConsent)
            .where(IdentityConsent.grievance_id == grievance.id)
            .order_by(IdentityConsent.asked_at, IdentityConsent.id)
        )
    )


def pending_consents(grievance: Grievance) -> list[IdentityConsent]:
    return [c for c in consents_of(grievance) if c.answer is ConsentAnswer.PENDING]


def get_consent(grievance: Grievance, consent_id: int) -> IdentityConsent:
    consent = db.session.get(IdentityConsent, consent_id)
    if consent is None or consent.grievance_id != grievance.id:
        raise NotFound(_("There is no such question."))
    return consent


def organisation_may_know(grievance: Grievance, organisation_id: int) -> bool:
    """Whether the people let this organisation know who they are (before any role or
    reveal rule): a served one unless they withheld it at filing; any other one only
    after their yes for it, and never while they withhold it from the served ones."""
    if grievance.identity_withheld:
        return False
    if is_served(organisation_id):
        return True
    consent = consent_for(grievance, organisation_id)
    return consent is not None and consent.answer is ConsentAnswer.YES


def needs_asking(grievance: Grievance, organisation: Organisation) -> bool:
    """A track for an organisation the mechanism does not serve: the people are asked,
    unless they withheld their identity at filing (no yes could be honoured then)."""
    return not organisation.served and not grievance.identity_withheld


def open_consent(grievance: Grievance, organisation: Organisation) -> IdentityConsent | None:
    """The pending question for this organisation, new or still unanswered; None when the
    people already answered it (a track reopened after an appeal is not asked again)."""
    consent = consent_for(grievance, organisation.id)
    if consent is None:
        consent = IdentityConsent(grievance=grievance, organisation=organisation)
        db.session.add(consent)
    elif consent.answer is not ConsentAnswer.PENDING:
        return None
    consent.asked_at = utcnow()
    db.session.flush()
    return consent


def _clean_note(note: str | None, required: bool) -> str | None:
    cleaned = (note or "").strip()
    if required and not cleaned:
        raise InvalidInput(_("Say how the people gave their answer."), "note")
    if len(cleaned) > MAX_NOTE:
        raise InvalidInput(_("Please keep it under %(count)d characters.", count=MAX_NOTE), "note")
    return cleaned or None


@transactional
def record_answer(
    actor: Actor,
    consent: IdentityConsent,
    yes: bool,
    via: ConsentVia,
    *,
    note: str | None = None,
    person_id: int | None = None,
    expected_version: int | None = None,
) -> IdentityConsent:
    """Write the answer and its trace. Callers check who may answer; the people may change
    their mind, so a later answer replaces an earlier one. The question still open on
    their phones closes, so a late reply cannot undo an answer given elsewhere."""
    if expected_version is not None and expected_version != consent.version:
        raise ConflictError("the answer changed since it was shown")
    before = consent.answer
    consent.answer = ConsentAnswer.YES if yes else ConsentAnswer.NO
    consent.answered_at = utcnow()
    consent.answered_via = via
    consent.answered_by_person_id = person_id
    consent.answered_by_user_id = actor.user_id
    consent.note = _clean_note(note, required=via is ConsentVia.STAFF)
    _close_phone_asks(consent, via)
    audit.record(
        actor,
        "identity.consent",
        "grievance",
        consent.grievance.reference,
        before={"answer": before},
        after={
            "organisation_id": consent.organisation_id,
            "answer": consent.answer,
            "via": via,
        },
    )
    db.session.flush()
    return consent


def shown_to(actor: Actor, grievance: Grievance) -> list[IdentityConsent]:
    """Each organisation's answer, for the mechanism's own staff; an organisation's staff
    read only whether they see names (a no and no answer look alike to them)."""
    if actor.kind is not ActorKind.STAFF or actor.organisation_id is not None:
        return []
    return consents_of(grievance)


def hidden_from_organisation(actor: Actor, grievance: Grievance) -> bool:
    """Staff of an organisation not served, on a case whose people have not said yes to it."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is not None
        and not grievance.identity_withheld
        and not organisation_may_know(grievance, actor.organisation_id)
    )


def _close_phone_asks(consent: IdentityConsent, via: ConsentVia) -> None:
    query = select(Ask).where(
        Ask.kind == AskKind.CONSENT,
        Ask.grievance_id == consent.grievance_id,
        Ask.closed_at.is_(None),
        Ask.track.has(InvolvementTrack.organisation_id == consent.organisation_id),
    )
    for open_ask in db.session.scalars(query):
        open_ask.closed_at = utcnow()
        open_ask.outcome = "answered" if via is ConsentVia.SMS else "answered elsewhere"


def may_record(actor: Actor) -> bool:
    """A protection officer of the mechanism records an answer given another way."""
    return (
        actor.kind is ActorKind.STAFF
        and actor.organisation_id is None
        and actor.role is Role.PROTECTION_OFFICER
    )


@transactional
def record_for_people(
    actor: Actor,
    consent: IdentityConsent,
    yes: bool,
    note: str,
    expected_version: int | None = None,
) -> IdentityConsent:
    """The people answered another way (in person, by letter): staff write it down."""
    if not may_record(actor):
        raise NotAllowed(_("Only a protection officer of the mechanism can record this."))
    return record_answer(
        actor, consent, yes, ConsentVia.STAFF, note=note, expected_version=expected_version
    )

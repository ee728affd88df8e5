"""Mandates: a proxy acts for people only while a mandate covers what it does.

A mandate is for one person or for the whole group of a grievance; it says what
the organisation may do (``MandateScope``), how consent was obtained (with
optional evidence, stored as an encrypted attachment) and until when. The
organisation or the person can withdraw it at any time; from then on, and after
its end date, the workflow's mandate guard refuses every action taken under it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from remedy.audit import log as audit
from remedy.cases.representation import mandates_on, mandates_receiving_messages
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed, NotFound
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.filing.file_types import sniff_type
from remedy.filing.grievances import add_attachment
from remedy.models.grievance import Channel, Grievance
from remedy.models.mandate import ConsentMethod, Mandate, MandateStatus
from remedy.models.organisation import Organisation
from remedy.models.person import Person
from remedy.models.types import utcnow
from remedy.proxy.mandate_consent import ask_people, people_withdrew
from remedy.proxy.membership import acts_for_people, member_organisation
from remedy.workflows.definition import MandateScope

MAX_CONSENT_NOTE = 1000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Consent evidence: a signed or thumbprinted form (photo or PDF) or a recording, by what
# its bytes show (``filing.file_types``), never by what the browser claims.
EVIDENCE_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "audio/ogg",
        "audio/mpeg",
        "audio/amr",
        "audio/webm",
        "audio/mp4",
        "audio/wav",
    }
)

SCOPE_LABELS: dict[MandateScope, LazyString] = {
    MandateScope.FILE: _l("File the grievance"),
    MandateScope.FOLLOW: _l("Follow the case, add information, appeal or withdraw"),
    MandateScope.ANSWER_PROPOSALS: _l("Accept or decline remedy proposals"),
    MandateScope.ANSWER_CHECK_INS: _l("Answer check-ins (was the remedy delivered?)"),
}
MANDATE_STATUS_LABELS: dict[MandateStatus, LazyString] = {
    MandateStatus.VALID: _l("In force"),
    MandateStatus.EXPIRED: _l("Ended"),
    MandateStatus.WITHDRAWN: _l("Withdrawn"),
    MandateStatus.PENDING: _l("Waiting for the people's consent"),
}


@dataclass(frozen=True)
class Evidence:
    """An uploaded consent record, as the channel received it."""

    filename: str | None
    content: bytes


@dataclass(frozen=True)
class MandateTerms:
    """What the people agreed to: what the organisation may do for them, how they said so,
    and until when."""

    scopes: frozenset[MandateScope]
    consent_method: ConsentMethod
    valid_until: date
    consent_note: str | None = None
    evidence: Evidence | None = None


def evidence_type(content: bytes) -> str:
    """The content type of consent evidence, or InvalidInput if it is not one we keep."""
    if not content or len(content) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(_("The file is empty or larger than 10 MB."), "evidence")
    kind = sniff_type(content)
    if kind is not None and kind in EVIDENCE_TYPES:
        return kind
    raise InvalidInput(
        _("Consent evidence must be a photo (JPEG or PNG), a PDF or an audio recording."),
        "evidence",
    )


@transactional
def grant_mandate(
    actor: Actor,
    organisation: Organisation,
    grievance: Grievance,
    scopes: Iterable[MandateScope],
    consent_method: ConsentMethod,
    valid_until: date,
    person: Person | None = None,
    proxy_receives_messages: bool = True,
    consent_note: str | None = None,
) -> Mandate:
    if not acts_for_people(organisation):
        raise InvalidInput(_("Only a vetted NGO can hold a mandate."), "organisation")
    if actor.kind is ActorKind.PROXY and actor.organisation_id != organisation.id:
        raise NotAllowed(_("You may record mandates only for your own organisation."))
    chosen = sorted({scope.value for scope in scopes})
    if not chosen:
        raise InvalidInput(_("Choose what the mandate allows."), "scopes")
    if valid_until < utcnow().date():
        raise InvalidInput(_("The end date of the mandate has passed."), "valid_until")
    if person is not None and all(link.person_id != person.id for link in grievance.people):
        raise InvalidInput(_("This person is not one of the people of this case."), "person")
    note = (consent_note or "").strip() or None
    if note and len(note) > MAX_CONSENT_NOTE:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_CONSENT_NOTE),
            "consent_note",
        )
    pending = people_withdrew(organisation, grievance)
    mandate = Mandate(
        awaiting_consent=pending,
        organisation_id=organisation.id,
        grievance_id=grievance.id,
        person_id=person.id if person else None,
        scopes=chosen,
        consent_method=consent_method,
        valid_until=valid_until,
        proxy_receives_messages=proxy_receives_messages,
        consent_note=note,
    )
    db.session.add(mandate)
    db.session.flush()
    audit.record(
        actor,
        "mandate.grant",
        "grievance",
        grievance.reference,
        after={
            "mandate_id": mandate.id,
            "organisation_id": organisation.id,
            "person_id": mandate.person_id,
            "scopes": chosen,
            "consent_method": consent_method,
            "valid_until": valid_until.isoformat(),
            "awaiting_consent": pending,
        },
    )
    if pending:
        ask_people(actor, mandate, grievance)
    return mandate


@transactional
def attach_evidence(actor: Actor, mandate: Mandate, evidence: Evidence) -> None:
    """Keep the consent record with the mandate, encrypted like every attachment."""
    content_type = evidence_type(evidence.content)
    grievance = db.session.get(Grievance, mandate.grievance_id)
    assert grievance is not None
    attachment = add_attachment(actor, grievance, evidence.filename, content_type, evidence.content)
    mandate.evidence_attachment_id = attachment.id


@transactional
def record_mandate(
    actor: Actor,
    grievance: Grievance,
    terms: MandateTerms,
    person_id: int | None,
    proxy_receives_messages: bool,
) -> Mandate:
    """A further mandate on a case the organisation already follows (renewed consent, or
    one person of a group)."""
    organisation = member_organisation(actor)
    if terms.evidence is not None:
        evidence_type(terms.evidence.content)
    person = None
    if person_id is not None:
        link = next((p for p in grievance.people if p.person_id == person_id), None)
        if link is None:
            raise InvalidInput(_("This person is not one of the people of this case."), "person")
        person = link.person
    mandate = grant_mandate(
        actor,
        organisation,
        grievance,
        terms.scopes,
        terms.consent_method,
        terms.valid_until,
        person=person,
        proxy_receives_messages=proxy_receives_messages,
        consent_note=terms.consent_note,
    )
    if terms.evidence is not None:
        attach_evidence(actor, mandate, terms.evidence)
    return mandate


def _route_messages_back(grievance: Grievance) -> None:
    """People who let a proxy receive their messages get them again once no valid mandate
    receives them any more: nobody must be left without news of their own case."""
    receiving = mandates_receiving_messages(grievance)
    for link in grievance.people:
        if link.receives_messages:
            continue
        if not any(mandate.person_id in (None, link.person_id) for mandate in receiving):
            link.receives_messages = True


def _withdraw(actor: Actor, mandate: Mandate, channel: str) -> None:
    mandate.withdrawn_at = utcnow()
    mandate.withdrawn_by = actor.kind.value
    mandate.consent_code_hash = None  # a code not given yet opens nothing any more
    audit.record(
        actor,
        "mandate.withdraw",
        "mandate",
        mandate.id,
        after={"by": actor.kind.value, "channel": channel},
    )


@transactional
def withdraw_mandate(actor: Actor, mandate: Mandate) -> Mandate:
    """The organisation (or the mechanism, for the people) ends a mandate; at once final."""
    if actor.kind is ActorKind.PROXY and actor.organisation_id != mandate.organisation_id:
        raise NotFound("No such mandate.")
    if mandate.withdrawn_at is None:
        channel = "proxy" if actor.kind is ActorKind.PROXY else "console"
        _withdraw(actor, mandate, channel)
        grievance = db.session.get(Grievance, mandate.grievance_id)
        assert grievance is not None
        grievance.updated_at = utcnow()  # a concurrent action under it conflicts
        db.session.flush()
        _route_messages_back(grievance)
    return mandate


@transactional
def withdraw_mandate_as_person(
    grievance: Grievance,
    person_id: int | None,
    channel: Channel = Channel.WEB,
    organisation_id: int | None = None,
) -> list[Mandate]:
    """The person withdraws their consent: every mandate still in force that covers them ends
    (their own, and any for the whole group, which no longer speaks for everyone); with
    ``organisation_id``, only that organisation's.

    ``person_id`` is the person speaking when the channel knows it (their phone); with
    reference and PIN alone it is None and every mandate of the case ends, as the holder of
    the PIN speaks for the case. ``channel`` is where they said so (web, SMS, voice), for
    the audit. Returns the mandates withdrawn (none if none was in force).
    """
    if person_id is not None and all(link.person_id != person_id for link in grievance.people):
        raise NotFound("No such person on this case.")
    actor = Actor.complainant(grievance.reference, person_id)
    ended = [
        mandate
        for mandate in mandates_on(grievance)
        if mandate.withdrawn_at is None
        and (person_id is None or mandate.person_id in (None, person_id))
        and organisation_id in (None, mandate.organisation_id)
    ]
    for mandate in ended:
        _withdraw(actor, mandate, channel.value)
    if ended:
        grievance.updated_at = utcnow()
        db.session.flush()
        _route_messages_back(grievance)
    return ended

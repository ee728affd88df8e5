"""Filing a grievance: the one way any channel creates one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, select

from remedy.access.prepared_pins import take_pin
from remedy.access.recovery import issue_recovery_code
from remedy.audit import log as audit
from remedy.cases.intake import start_intake
from remedy.cases.recurrence import check_recurrence
from remedy.cases.technology import clean_external_reference
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.references import new_reference
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.identity.people import register_person
from remedy.identity.place_index import index_place
from remedy.models.attachment import Attachment
from remedy.models.grievance import (
    Category,
    Channel,
    Grievance,
    ProductUser,
    ReprisalRisk,
)
from remedy.models.grievance_person import GrievancePerson, PersonRole
from remedy.models.types import utcnow
from remedy.workflows.states import IntakeState

MAX_DESCRIPTION_LENGTH = 10_000
MAX_LOCATION_LENGTH = 500
MAX_PEOPLE_AFFECTED = 10_000_000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# How the people may ask to be contacted (None: on the channel they wrote in on).
CONTACT_CHANNELS = frozenset({None, Channel.SMS, Channel.WHATSAPP, Channel.VOICE})
# Where a receipt is handed over, and so a recovery code can be printed on it.
RECOVERY_CHANNELS = frozenset({Channel.WEB, Channel.PROXY})
ATTACHMENT_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "audio/ogg",
        "audio/mpeg",
        "audio/mp4",
        "audio/amr",
        "audio/wav",
        "audio/webm",
        "video/mp4",
        "video/3gpp",
        "application/pdf",
    }
)


@dataclass(frozen=True)
class PersonDetails:
    """Who is affected, as a channel collected it; every field may be unknown."""

    name: str | None = None
    phone: str | None = None
    language: str | None = None
    # False when a proxy filing for them chose to receive the messages in their place.
    receives_messages: bool = True


@dataclass
class GrievanceForm:
    """What a channel hands to :func:`submit_grievance`."""

    channel: Channel
    language: str
    description: str
    location: str | None = None
    category: Category | None = None
    # Technology harms: whether the person uses the product, and an account, content or
    # flag id elsewhere (both optional).
    product_user: ProductUser | None = None
    external_reference: str | None = None
    harm_date: date | None = None
    people_affected: int = 1
    reprisal_risk: ReprisalRisk = ReprisalRisk.NONE
    identity_withheld: bool = False
    contact_consent: bool = False
    contact_channel: Channel | None = None
    complainant: PersonDetails | None = None
    affected: list[PersonDetails] = field(default_factory=list)
    # Set when a proxy organisation's member files on the people's behalf.
    filed_by_user_id: int | None = None
    filed_by_organisation_id: int | None = None


@dataclass(frozen=True)
class Submitted:
    """The new grievance and its PIN: the only moment the PIN exists in clear. Filings on
    the web and through an NGO also get a recovery code for the receipt (the people may
    have no phone on file to recover a lost or locked PIN with)."""

    grievance: Grievance
    pin: str
    recovery_code: str | None = None


def _clean(form: GrievanceForm) -> None:
    form.description = form.description.strip()
    if not form.description:
        raise InvalidInput(_("Tell us what happened."), "description")
    if len(form.description) > MAX_DESCRIPTION_LENGTH:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_DESCRIPTION_LENGTH),
            "description",
        )
    form.location = form.location.strip() if form.location else None
    if form.location and len(form.location) > MAX_LOCATION_LENGTH:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_LOCATION_LENGTH),
            "location",
        )
    form.external_reference = clean_external_reference(form.external_reference)
    if form.language not in settings().languages:
        raise InvalidInput(_("This language is not available."), "language")
    if form.harm_date is not None and form.harm_date > utcnow().date():
        raise InvalidInput(_("The date cannot be in the future."), "harm_date")
    if form.contact_channel not in CONTACT_CHANNELS:
        raise InvalidInput(_("Choose how we may contact you."), "contact_channel")
    if not 1 <= form.people_affected <= MAX_PEOPLE_AFFECTED:
        raise InvalidInput(_("Give the number of people affected, at least 1."), "people_affected")


def _unused_reference() -> str:
    while True:
        reference = new_reference()
        if not db.session.scalar(select(exists().where(Grievance.reference == reference))):
            return reference


@transactional
def submit_grievance(actor: Actor, form: GrievanceForm) -> Submitted:
    """Record a grievance in state ``received`` with its people; return it with its PIN."""
    submitted = record_grievance(actor, form)
    start_intake(submitted.grievance)
    return submitted


def record_grievance(actor: Actor, form: GrievanceForm) -> Submitted:
    """Record it without starting intake: for callers that must add something first (a
    proxy's mandate) so the acknowledgement reaches everyone it should. The caller calls
    ``start_intake`` in the same unit of work."""
    _clean(form)
    # Hashed ahead of time by the worker when it can be (remedy.access.prepared_pins).
    pin, pin_hash = take_pin()
    grievance = Grievance(
        reference=_unused_reference(),
        pin_hash=pin_hash,
        channel=form.channel,
        language=form.language,
        description=form.description,
        location=form.location,
        category=form.category,
        product_user=form.product_user,
        external_reference=form.external_reference,
        harm_date=form.harm_date,
        people_affected=form.people_affected,
        reprisal_risk=form.reprisal_risk,
        identity_withheld=form.identity_withheld,
        # Protective default: discreet messages whenever safety is in question.
        discreet_messages=form.identity_withheld or form.reprisal_risk is not ReprisalRisk.NONE,
        contact_consent=form.contact_consent,
        filed_by_user_id=form.filed_by_user_id,
        filed_by_organisation_id=form.filed_by_organisation_id,
        contact_channel=form.contact_channel,
        state=IntakeState.RECEIVED.value,  # a plain name: transitions reads Enum members by .name
        jurisdiction=settings().jurisdiction,
        # A new grievance has neither yet: set empty, so nothing loads them from the
        # database once it is flushed (two SELECTs per filing).
        people=[],
        tracks=[],
    )
    db.session.add(grievance)
    linked: set[int] = set()
    for details, role in [
        *([(form.complainant, PersonRole.COMPLAINANT)] if form.complainant else []),
        *[(details, PersonRole.AFFECTED) for details in form.affected],
    ]:
        person = register_person(
            details.name,
            details.phone,
            details.language or form.language,
            reuse_known=actor.kind is not ActorKind.PROXY,
        )
        if person.id in linked:
            continue
        linked.add(person.id)
        grievance.people.append(
            GrievancePerson(person=person, role=role, receives_messages=details.receives_messages)
        )
    db.session.flush()
    index_place(grievance, new=True)
    check_recurrence(grievance)
    audit.record(
        actor,
        "grievance.submit",
        "grievance",
        grievance.reference,
        after={
            "state": grievance.state,
            "channel": grievance.channel,
            "language": grievance.language,
            "people": len(grievance.people),
            "reprisal_risk": grievance.reprisal_risk,
            "identity_withheld": grievance.identity_withheld,
            "product_user": grievance.product_user,
            "external_reference": grievance.external_reference is not None,
        },
    )
    recovery = issue_recovery_code(grievance) if form.channel in RECOVERY_CHANNELS else None
    return Submitted(grievance, pin, recovery)


@transactional
def add_attachment(
    actor: Actor,
    grievance: Grievance,
    filename: str | None,
    content_type: str,
    content: bytes,
    *,
    remedy_action_id: int | None = None,
    added_information_id: int | None = None,
) -> Attachment:
    content_type = content_type.split(";")[0].strip().lower()
    if content_type not in ATTACHMENT_TYPES:
        raise InvalidInput(_("This kind of file cannot be added."), "attachment")
    if not content or len(content) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(_("The file is empty or larger than 10 MB."), "attachment")
    attachment = Attachment(
        grievance_id=grievance.id,
        filename=(filename or "")[:255] or None,
        content_type=content_type,
        size=len(content),
        content=content,
        remedy_action_id=remedy_action_id,
        added_information_id=added_information_id,
    )
    db.session.add(attachment)
    db.session.flush()
    audit.record(
        actor,
        "attachment.add",
        "grievance",
        grievance.reference,
        after={
            "attachment_id": attachment.id,
            "content_type": content_type,
            **({"remedy_action_id": remedy_action_id} if remedy_action_id else {}),
            **({"added_information_id": added_information_id} if added_information_id else {}),
        },
    )
    return attachment

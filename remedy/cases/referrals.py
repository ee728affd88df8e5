"""The directory of other mechanisms, and referring a complainant to one."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput, NotFound
from remedy.core.extensions import db
from remedy.core.settings import settings
from remedy.core.unit_of_work import transactional
from remedy.models.grievance import Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.organisation import Organisation
from remedy.models.referral import MechanismKind, Referral, ReferralMechanism

ANY_COUNTRY = "ZZ"  # ISO 3166 user-assigned code: mechanisms open to everyone
MAX_CONTACT_LENGTH = 500  # the column's size


def directory(
    country: str | None = None, include_inactive: bool = False
) -> list[ReferralMechanism]:
    query = select(ReferralMechanism).order_by(ReferralMechanism.country, ReferralMechanism.name)
    if country:
        query = query.where(ReferralMechanism.country.in_([country.upper(), ANY_COUNTRY]))
    if not include_inactive:
        query = query.where(ReferralMechanism.active)
    return list(db.session.scalars(query))


def case_countries(grievance: Grievance) -> set[str]:
    """Where the case happens: the countries of the organisations on its tracks, else
    (before any track) the mechanism's own country, ``REMEDY_DEFAULT_COUNTRY``."""
    found = {t.organisation.country for t in grievance.tracks if t.organisation.country}
    default = settings().default_country
    return found or ({default.upper()} if default else set())


def directory_for(grievance: Grievance) -> tuple[list[ReferralMechanism], list[ReferralMechanism]]:
    """The active mechanisms for the case's countries (with those open to everyone), and
    the others apart: a handler refers within the country first, but may look further."""
    countries = case_countries(grievance)
    listed = directory()
    if not countries:
        return listed, []
    near = [m for m in listed if m.country in countries or m.country == ANY_COUNTRY]
    return near, [m for m in listed if m not in near]


@transactional
def add_mechanism(
    actor: Actor, country: str, kind: MechanismKind, name: str, contact: str | None = None
) -> ReferralMechanism:
    country = country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput(_("The country is a two-letter ISO code, such as KE."), "country")
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput(_("Give the mechanism a name of at most 200 characters."), "name")
    contact = " ".join(contact.split()) if contact else None
    if contact and len(contact) > MAX_CONTACT_LENGTH:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_CONTACT_LENGTH), "contact"
        )
    mechanism = ReferralMechanism(country=country, kind=kind, name=name, contact=contact or None)
    db.session.add(mechanism)
    db.session.flush()
    audit.record(
        actor,
        "referral_mechanism.add",
        "referral_mechanism",
        mechanism.id,
        after={"country": country, "kind": kind},
    )
    return mechanism


@transactional
def set_mechanism_active(actor: Actor, mechanism: ReferralMechanism, active: bool) -> None:
    mechanism.active = active
    audit.record(
        actor,
        "referral_mechanism.set_active",
        "referral_mechanism",
        mechanism.id,
        after={"active": active},
    )


@transactional
def link_mechanism(
    actor: Actor, mechanism: ReferralMechanism, organisation: Organisation | None
) -> None:
    """The body's own organisation: its ``referral_partner`` accounts read and answer the
    referrals made to this mechanism through the API."""
    mechanism.organisation_id = organisation.id if organisation else None
    audit.record(
        actor,
        "referral_mechanism.link",
        "referral_mechanism",
        mechanism.id,
        after={"organisation_id": mechanism.organisation_id},
    )


def get_mechanism(mechanism_id: int) -> ReferralMechanism:
    mechanism = db.session.get(ReferralMechanism, mechanism_id)
    if mechanism is None or not mechanism.active:
        raise NotFound(_("This mechanism is not in the directory."))
    return mechanism


def record_referral(
    actor: Actor,
    grievance: Grievance,
    mechanism: ReferralMechanism,
    note: str | None,
    track: InvolvementTrack | None = None,
) -> Referral:
    """Joins the caller's unit of work (a reject, a no-involvement finding, a track referral)."""
    referral = Referral(
        grievance_id=grievance.id,
        track_id=track.id if track else None,
        mechanism=mechanism,
        note=note,
        referred_by=actor.id,
    )
    db.session.add(referral)
    return referral


def describe(mechanism: ReferralMechanism) -> str:
    return f"{mechanism.name} ({mechanism.contact})" if mechanism.contact else mechanism.name

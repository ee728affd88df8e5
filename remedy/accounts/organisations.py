"""Creating and vetting organisations."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from remedy.audit import log as audit
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.types import utcnow


def find_organisation(name: str) -> Organisation | None:
    return db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    )


@transactional
def create_organisation(
    actor: Actor,
    name: str,
    kind: OrganisationKind,
    country: str | None = None,
    served: bool | None = None,
) -> Organisation:
    """``served``: the mechanism serves it (by default, a company is served and nobody else)."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput(_("An organisation needs a name of at most 200 characters."), "name")
    if find_organisation(name) is not None:
        raise InvalidInput(_("An organisation with this name already exists."), "name")
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise InvalidInput(_("The country is a two-letter ISO code, such as KE."), "country")
    organisation = Organisation(
        name=name,
        kind=kind,
        country=country.upper() if country else None,
        served=kind is OrganisationKind.COMPANY if served is None else served,
    )
    db.session.add(organisation)
    db.session.flush()
    audit.record(
        actor,
        "organisation.create",
        "organisation",
        organisation.id,
        after={"kind": kind, "country": organisation.country, "served": organisation.served},
    )
    return organisation


MAX_VETTING_NOTE_LENGTH = 2000


@transactional
def vet_organisation(actor: Actor, organisation: Organisation, note: str) -> Organisation:
    """An NGO files and answers for others (holds mandates) only once vetted; ``note`` says
    why (the reason, the evidence seen), since an inquiry later asks on what grounds."""
    if organisation.kind is not OrganisationKind.NGO:
        raise InvalidInput(_("Only NGOs are vetted to act for others."), "organisation")
    note = (note or "").strip()
    if not note:
        raise InvalidInput(_("Say why you vet it: the reason and the evidence you saw."), "note")
    if len(note) > MAX_VETTING_NOTE_LENGTH:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.", count=MAX_VETTING_NOTE_LENGTH), "note"
        )
    if not organisation.is_vetted:
        organisation.is_vetted = True
        organisation.vetting_note = note
        organisation.vetted_at = utcnow()
        # The note itself stays out of the audit log (it may name people); its length and
        # the moment are enough to show a reason was given.
        audit.record(
            actor,
            "organisation.vet",
            "organisation",
            organisation.id,
            after={"note_length": len(note), "vetted_at": organisation.vetted_at},
        )
    return organisation


@transactional
def set_served(actor: Actor, organisation: Organisation, served: bool) -> Organisation:
    """Whether the mechanism serves it: the people's identity question at filing is about
    the organisations it serves; every other one needs their answer of its own."""
    if organisation.served != served:
        before = organisation.served
        organisation.served = served
        audit.record(
            actor,
            "organisation.served",
            "organisation",
            organisation.id,
            before={"served": before},
            after={"served": served},
        )
    return organisation


@transactional
def set_publish_statistics(actor: Actor, organisation: Organisation, publish: bool) -> Organisation:
    """Whether it agrees to be named in the public statistics (``remedy.statistics``); no
    organisation is named until it does."""
    if organisation.publish_statistics != publish:
        organisation.publish_statistics = publish
        audit.record(
            actor,
            "organisation.publish_statistics",
            "organisation",
            organisation.id,
            before={"publish_statistics": not publish},
            after={"publish_statistics": publish},
        )
    return organisation

"""Mandates: a proxy acts for people only while a mandate covers what it does."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from remedy.actors import Actor
from remedy.extensions import db
from remedy.models.grievance import Grievance
from remedy.models.mandate import ConsentMethod, Mandate
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.person import Person
from remedy.models.types import utcnow
from remedy.services import audit
from remedy.services.errors import InvalidInput
from remedy.services.transaction import transactional
from remedy.workflows.definition import MandateScope


def _mandates(grievance: Grievance) -> Iterable[Mandate]:
    return db.session.scalars(select(Mandate).where(Mandate.grievance_id == grievance.id))


def valid_mandate(
    organisation_id: int | None,
    grievance: Grievance,
    scope: MandateScope,
    person: Person | None = None,
    today: date | None = None,
) -> Mandate | None:
    """A mandate of this organisation covering this scope today, for ``person``; with no person,
    for the whole grievance (a group mandate, or one for its only person)."""
    if organisation_id is None:
        return None
    today = today or utcnow().date()
    only_person = grievance.people[0].person_id if len(grievance.people) == 1 else None
    for mandate in _mandates(grievance):
        if mandate.person_id is None:
            covers = True
        elif person is not None:
            covers = mandate.person_id == person.id
        else:
            covers = mandate.person_id == only_person
        if (
            covers
            and mandate.organisation_id == organisation_id
            and mandate.is_valid_on(today)
            and scope.value in mandate.scopes
        ):
            return mandate
    return None


def mandates_receiving_messages(grievance: Grievance) -> list[Mandate]:
    today = utcnow().date()
    return [
        mandate
        for mandate in _mandates(grievance)
        if mandate.proxy_receives_messages and mandate.is_valid_on(today)
    ]


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
) -> Mandate:
    if organisation.kind is not OrganisationKind.NGO or not organisation.is_vetted:
        raise InvalidInput(_("Only a vetted NGO can hold a mandate."), "organisation")
    chosen = sorted({scope.value for scope in scopes})
    if not chosen:
        raise InvalidInput(_("Choose what the mandate allows."), "scopes")
    if valid_until < utcnow().date():
        raise InvalidInput(_("The end date of the mandate has passed."), "valid_until")
    mandate = Mandate(
        organisation_id=organisation.id,
        grievance_id=grievance.id,
        person_id=person.id if person else None,
        scopes=chosen,
        consent_method=consent_method,
        valid_until=valid_until,
        proxy_receives_messages=proxy_receives_messages,
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
            "scopes": chosen,
            "valid_until": valid_until.isoformat(),
        },
    )
    return mandate


@transactional
def withdraw_mandate(actor: Actor, mandate: Mandate) -> Mandate:
    if mandate.withdrawn_at is None:
        mandate.withdrawn_at = utcnow()
        audit.record(actor, "mandate.withdraw", "mandate", mandate.id)
    return mandate

"""Filing a grievance through the API: who may, and a proxy's mandate in the same unit.

Mechanism handlers and supervisors file what reached them some other way; members of
a vetted NGO file for the people who asked them to, and must say how those people
consented: the mandate is recorded before intake starts, so the acknowledgement
reaches the proxy too. Company staff, auditors and administrators do not file.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from remedy.cases.intake import start_intake
from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput, NotAllowed
from remedy.core.extensions import db
from remedy.core.unit_of_work import transactional
from remedy.filing.grievances import (
    GrievanceForm,
    PersonDetails,
    Submitted,
    record_grievance,
)
from remedy.models.grievance import Channel
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.user import Role
from remedy.proxy.mandates import grant_mandate

FILING_ROLES = frozenset({Role.HANDLER, Role.SUPERVISOR})


def _filing_organisation(actor: Actor) -> Organisation | None:
    """The proxy's vetted NGO, None for the mechanism's team; NotAllowed for anyone else."""
    if actor.kind is ActorKind.STAFF and actor.organisation_id is None:
        if actor.role in FILING_ROLES:
            return None
    elif actor.kind is ActorKind.PROXY and actor.organisation_id is not None:
        organisation = db.session.get(Organisation, actor.organisation_id)
        if (
            organisation is not None
            and organisation.kind is OrganisationKind.NGO
            and organisation.is_vetted
        ):
            return organisation
    raise NotAllowed(_("Your account may not file grievances."))


def _person(data: dict[str, Any] | None) -> PersonDetails | None:
    if not data:
        return None
    return PersonDetails(
        name=data.get("name"),
        phone=data.get("phone"),
        language=data.get("language"),
        receives_messages=data.get("receives_messages", True),
    )


@transactional
def file_grievance(actor: Actor, data: dict[str, Any]) -> Submitted:
    """``data`` as :class:`remedy.api.schemas.GrievanceInput` loaded it."""
    organisation = _filing_organisation(actor)
    mandate = data.get("mandate")
    if organisation is not None and not mandate:
        raise InvalidInput(
            _("Say how the people consented to your organisation filing for them."), "mandate"
        )
    if organisation is None and mandate:
        raise InvalidInput(_("Only a proxy records a mandate when filing."), "mandate")
    user_id = actor.user_id
    affected = [_person(item) for item in data.get("affected", [])]
    form = GrievanceForm(
        channel=Channel.API,
        language=data["language"],
        description=data["description"],
        location=data.get("location"),
        category=data.get("category"),
        harm_date=data.get("harm_date"),
        people_affected=data.get("people_affected", 1),
        reprisal_risk=data["reprisal_risk"],
        identity_withheld=data.get("identity_withheld", False),
        contact_consent=data.get("contact_consent", False),
        contact_channel=Channel(data["contact_channel"]) if data.get("contact_channel") else None,
        complainant=_person(data.get("complainant")),
        affected=[person for person in affected if person is not None],
        filed_by_user_id=user_id,
        filed_by_organisation_id=organisation.id if organisation else None,
    )
    submitted = record_grievance(actor, form)
    if organisation is not None and mandate:
        grant_mandate(
            actor,
            organisation,
            submitted.grievance,
            mandate["scopes"],
            mandate["consent_method"],
            mandate["valid_until"],
            None,
            mandate.get("proxy_receives_messages", True),
        )
    start_intake(submitted.grievance)
    return submitted

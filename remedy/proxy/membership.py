"""Membership of a proxy organisation: only a vetted NGO acts for people.

An organisation holds mandates, files and follows cases for the people only once an
administrator has vetted it as an NGO; its members act for it. This is the one vetting
check: the portal, filing through the API and granting a mandate all ask it.
"""

from __future__ import annotations

from flask_babel import gettext as _

from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import NotAllowed
from remedy.core.extensions import db
from remedy.models.organisation import Organisation, OrganisationKind


def acts_for_people(organisation: Organisation) -> bool:
    """Whether the organisation may act for people: a vetted NGO."""
    return organisation.kind is OrganisationKind.NGO and organisation.is_vetted


def member_organisation(actor: Actor) -> Organisation:
    """The member's organisation; NotAllowed unless it is a vetted NGO (it acts for no one
    before an administrator has vetted it)."""
    organisation = (
        db.session.get(Organisation, actor.organisation_id)
        if actor.kind is ActorKind.PROXY and actor.organisation_id is not None
        else None
    )
    if organisation is None:
        raise NotAllowed(_("This page is for members of a proxy organisation."))
    if not acts_for_people(organisation):
        raise NotAllowed(_("Your organisation is not vetted yet."))
    return organisation


def is_vetted(actor: Actor) -> bool:
    try:
        member_organisation(actor)
    except NotAllowed:
        return False
    return True

"""An oversight body's reader: a member of an organisation of kind ``oversight_body``."""

from __future__ import annotations

from sqlalchemy import select

from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.models import Organisation, Role
from remedy.models.organisation import OrganisationKind
from tests.console.case_support import new_user

PANEL = "Independent Oversight Panel"


def oversight_body() -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.name == PANEL))
    return found or create_organisation(OPERATOR, PANEL, OrganisationKind.OVERSIGHT_BODY, None)


def oversight_reader(email: str = "reviewer@panel.example") -> Actor:
    return new_user(email, Role.OVERSIGHT, oversight_body())

"""Administrators say which organisations the mechanism serves: the identity question at
filing is about those; staff of any other organisation see pseudonyms until the people
agree. A company is served unless the administrator says otherwise."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.core.extensions import db
from remedy.identity.visibility import may_see_identity
from remedy.models import AuditEvent, Organisation, Role, TrackKind
from tests.support import Account, make_account, sign_in, submit_form
from tests.workflows.scenarios import Scenario

PAGE = "/console/organisations/"


@pytest.fixture
def admin_client(app: Flask, client: FlaskClient) -> FlaskClient:
    admin: Account = make_account("admin@example.org", Role.ADMIN)
    sign_in(client, admin)
    return client


def organisation(name: str) -> Organisation:
    db.session.expire_all()
    return db.session.scalars(select(Organisation).where(Organisation.name == name)).one()


@pytest.mark.parametrize(
    ("kind", "served", "expected"),
    [
        ("company", "", True),
        ("business_partner", "", False),
        ("company", "no", False),
        ("business_partner", "yes", True),
    ],
)
def test_the_admin_says_whether_a_new_organisation_is_served(
    admin_client: FlaskClient, kind: str, served: str, expected: bool
) -> None:
    response = submit_form(
        admin_client, PAGE, {"name": "Simba Guarding Services", "kind": kind, "served": served}
    )

    assert response.status_code == 302
    assert organisation("Simba Guarding Services").served is expected


def test_serving_a_partner_shows_its_staff_the_names_at_once_and_is_audited(
    admin_client: FlaskClient, scenario: Scenario
) -> None:
    grievance, _ = scenario.in_remedy(TrackKind.DIRECTLY_LINKED, TrackKind.CAUSE)
    assert not may_see_identity(scenario.partner_handler, grievance)
    listing = admin_client.get(PAGE).get_data(as_text=True)
    assert "Serve Rift Haulage" in listing

    response = submit_form(
        admin_client, PAGE, {"served": "yes"}, action=f"{PAGE}{scenario.partner.id}/served"
    )

    assert response.status_code == 302
    assert organisation("Rift Haulage").served
    assert may_see_identity(scenario.partner_handler, grievance)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation.served")
    ).one()
    assert (event.before, event.after) == ({"served": False}, {"served": True})
    assert "Stop serving Rift Haulage" in admin_client.get(PAGE).get_data(as_text=True)

"""The cast of the proxy portal tests: the Scenario's vetted NGO and its member, signed in
with both factors, and a second NGO that must never see the first one's cases."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from remedy.accounts.organisations import create_organisation, vet_organisation
from remedy.core.actors import OPERATOR, Actor
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.user import Role
from tests.proxy.portal import enrolled
from tests.support import Account, make_account, sign_in
from tests.workflows.scenarios import Scenario


@pytest.fixture
def member(scenario: Scenario) -> Account:
    """A member of the Scenario's vetted NGO (the same account as ``scenario.proxy``)."""
    return enrolled(scenario.proxy)


@pytest.fixture
def portal(client: FlaskClient, member: Account) -> FlaskClient:
    """A browser session of the member, signed in with password and code."""
    sign_in(client, member)
    return client


@pytest.fixture
def other_ngo(app: Flask) -> Organisation:
    ngo = create_organisation(OPERATOR, "Haki Watch", OrganisationKind.NGO, "KE")
    return vet_organisation(OPERATOR, ngo, "Registration certificate seen.")


@pytest.fixture
def other_member(other_ngo: Organisation) -> Account:
    return make_account("member@haki.example", Role.PROXY_MEMBER, other_ngo)


@pytest.fixture
def other_portal(app: Flask, other_member: Account) -> FlaskClient:
    client = app.test_client()
    sign_in(client, other_member)
    return client


@pytest.fixture
def actor(member: Account) -> Actor:
    return Actor.for_user(member.user)

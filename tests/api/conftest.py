"""The API seen from outside: a client that sends a bearer token and JSON, and the cast of
:class:`tests.workflows.scenarios.Scenario` with a token each."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from remedy.accounts import users as accounts
from remedy.accounts.tokens import issue_token
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.models.user import Role, User
from tests.workflows.scenarios import PASSWORD, Scenario

API = "/api/v1"


@dataclass
class Api:
    """Requests to ``/api/v1`` as one token's holder."""

    client: FlaskClient
    token: str | None

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        headers = self.headers(kwargs.pop("headers", None))
        return self.client.get(API + path, headers=headers, **kwargs)

    def post(
        self, path: str, body: Any = None, *, if_match: bool = True, **kwargs: Any
    ) -> TestResponse:
        """A write; a change to an existing grievance carries the ETag it has now, read
        first, as a careful client does (``if_match=False`` or a given header: not)."""
        headers = self.headers(kwargs.pop("headers", None))
        if if_match and "If-Match" not in headers:
            headers.update(self.current_etag(path))
        if body is None:
            return self.client.post(API + path, headers=headers, **kwargs)
        return self.client.post(API + path, json=body, headers=headers, **kwargs)

    def current_etag(self, path: str) -> dict[str, str]:
        """``If-Match`` for a change to the grievance ``path`` names; none for filing, or
        when the caller cannot read the case (the write answers 404 before looking)."""
        match = GRIEVANCE_PATH.match(path)
        if match is None:
            return {}
        read = self.get(f"/grievances/{match.group(1)}")
        return {"If-Match": read.headers["ETag"]} if read.status_code == 200 else {}


GRIEVANCE_PATH = re.compile(r"^/grievances/([^/]+)/.")


def user_of(actor: Actor) -> User:
    assert actor.id is not None
    user = db.session.get(User, int(actor.id))
    assert user is not None
    return user


def token_for(actor: Actor) -> str:
    return issue_token(OPERATOR, user_of(actor), "tests").secret


@pytest.fixture
def api_for(client: FlaskClient) -> Callable[[Actor], Api]:
    """An API client acting as this actor (a fresh token each time)."""

    def make(actor: Actor) -> Api:
        return Api(client, token_for(actor))

    return make


@dataclass
class Cast:
    """Everyone who may hold a token, by role and organisation."""

    scenario: Scenario
    protection_officer: Actor
    admin: Actor
    company_supervisor: Actor
    other_proxy: Actor

    def __getattr__(self, name: str) -> Any:
        return getattr(self.scenario, name)


@pytest.fixture
def cast(scenario: Scenario) -> Cast:
    from remedy.accounts.organisations import create_organisation
    from remedy.models.organisation import OrganisationKind

    other_ngo = create_organisation(OPERATOR, "Voices of the Valley", OrganisationKind.NGO, "KE")
    other_ngo.is_vetted = True
    db.session.commit()

    def user(email: str, role: Role, organisation: Any = None) -> Actor:
        return Actor.for_user(accounts.create_user(OPERATOR, email, PASSWORD, role, organisation))

    return Cast(
        scenario=scenario,
        protection_officer=user("protection@example.org", Role.PROTECTION_OFFICER),
        admin=user("admin@example.org", Role.ADMIN),
        company_supervisor=user("lead@acme.example", Role.SUPERVISOR, scenario.company),
        other_proxy=user("member@valley.example", Role.PROXY_MEMBER, other_ngo),
    )


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # Tests send many requests with one token; the rate limit has its own test.
    return {"REMEDY_API_RATE_LIMIT": "100000 per minute"}


@pytest.fixture
def handler_api(api_for: Callable[[Actor], Api], scenario: Scenario) -> Api:
    return api_for(scenario.handler)


__all__ = ["API", "Api", "Cast", "Flask", "token_for"]

"""Helpers shared by tests: settings, factories, and a client that fills CSRF tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from remedy.accounts import users as accounts
from remedy.accounts.organisations import create_organisation
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.filing.grievances import GrievanceForm, PersonDetails, Submitted, submit_grievance
from remedy.models.grievance import Channel
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.user import Role, User

SECRET_KEY = "test-secret-key-" + "x" * 32
TEST_KEY = "q2yWw9u7bO2m3z8y6mI0mH5c0Xv0K8JpZ0W2bq8a0wE="
PASSWORD = "a long enough passphrase"


def test_overrides(database_url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": SECRET_KEY,
        "REMEDY_ENCRYPTION_KEY": TEST_KEY,
        "INSTANCE_PATH": str(instance),
        # Argon2id still, at a cost that keeps the suite fast.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_KIB": 1024,
        "RATELIMIT_STORAGE_URI": "memory://",
        # The limiter is one object for every app in the process, and an app that leaves this
        # out inherits the previous app's choice: a test that switched it off would switch it
        # off for every later test.
        "RATELIMIT_ENABLED": True,
    }


CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own application context, as in production.

    The ``app`` fixture keeps an application context open for the whole test, and Flask reuses
    it for requests: ``g`` (where Flask-Login caches the signed-in user) and the database session
    would then carry over from one request, or one client, to the next. Here each request starts
    clean, so who is signed in comes from the cookie alone; afterwards the test's own session is
    expired, so it reads what the request committed.
    """

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


def submit_form(
    client: FlaskClient, page: str, data: dict[str, str], action: str | None = None
) -> TestResponse:
    """Open a page like a browser, then post its form with the page's CSRF token."""
    html = client.get(page).get_data(as_text=True)
    return client.post(action or page, data={**data, "csrf_token": csrf_token(html)})


def make_organisation(
    name: str = "Acme Mining", kind: OrganisationKind = OrganisationKind.COMPANY
) -> Organisation:
    return create_organisation(OPERATOR, name, kind)


@dataclass
class Account:
    user: User
    password: str
    totp: pyotp.TOTP | None

    def code(self, offset_steps: int = 0) -> str:
        assert self.totp is not None
        return self.totp.generate_otp(self.totp.timecode(_now()) + offset_steps)


def _now() -> Any:
    from remedy.models.types import utcnow

    return utcnow()


def make_account(
    email: str = "handler@example.org",
    role: Role = Role.HANDLER,
    organisation: Organisation | None = None,
    *,
    enrolled: bool = True,
) -> Account:
    """An account with a known password; enrolled accounts have a TOTP secret set up."""
    if role is Role.PROXY_MEMBER and organisation is None:
        organisation = make_organisation("Friends of the River", OrganisationKind.NGO)
    user = accounts.create_user(OPERATOR, email, PASSWORD, role, organisation)
    totp = None
    if enrolled:
        from remedy.models.types import utcnow

        secret = accounts.begin_enrolment(user)
        user.totp_enrolled_at = utcnow()
        db.session.commit()
        totp = pyotp.TOTP(secret)
    return Account(user, PASSWORD, totp)


def sign_in(client: FlaskClient, account: Account) -> TestResponse:
    """Both steps, as a person would do them."""
    response = submit_form(
        client, "/sign-in", {"email": account.user.email, "password": account.password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return submit_form(client, "/sign-in/code", {"code": account.code()})


def file_grievance(
    description: str = "The new fence blocks the path to the well.",
    *,
    channel: Channel = Channel.WEB,
    language: str = "en",
    complainant: PersonDetails | None = None,
    **fields: Any,
) -> Submitted:
    form = GrievanceForm(
        channel=channel,
        language=language,
        description=description,
        complainant=complainant,
        **fields,
    )
    return submit_grievance(OPERATOR, form)

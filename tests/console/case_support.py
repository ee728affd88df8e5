"""Helpers for the case page tests: the cast signed in, and reading the page back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from remedy.accounts import users as accounts
from remedy.core.actors import OPERATOR, Actor
from remedy.core.extensions import db
from remedy.models import Grievance, Organisation, Role, User
from remedy.models.types import utcnow
from tests.support import PASSWORD, Account, csrf_token, submit_form
from tests.workflows.scenarios import Scenario


def enrolled(user: User) -> Account:
    """The account with a second factor set up, so it can sign in like a person."""
    if user.totp_enrolled_at is None:
        accounts.begin_enrolment(user)
        user.totp_enrolled_at = utcnow()
        db.session.commit()
    assert user.totp_secret is not None
    return Account(user, PASSWORD, pyotp.TOTP(user.totp_secret))


def user_of(actor: Actor) -> User:
    user = db.session.get(User, int(str(actor.id)))
    assert user is not None
    return user


def new_user(email: str, role: Role, organisation: Organisation | None = None) -> Actor:
    return Actor.for_user(accounts.create_user(OPERATOR, email, PASSWORD, role, organisation))


@dataclass
class Console:
    """One signed-in person's browser, without a browser."""

    client: FlaskClient
    actor: Actor

    def page(self, grievance: Grievance) -> TestResponse:
        return self.client.get(f"/console/grievances/{grievance.reference}")

    def html(self, grievance: Grievance) -> str:
        response = self.page(grievance)
        assert response.status_code == 200, response.status_code
        return response.get_data(as_text=True)

    def offers(self, grievance: Grievance, path: str) -> bool:
        """Whether the page has a form for ``path`` (relative to the case)."""
        return f'action="/console/grievances/{grievance.reference}{path}"' in self.html(grievance)

    def post(
        self, grievance: Grievance, path: str, data: dict[str, Any], version: int | None = None
    ) -> TestResponse:
        """Post a form of the case page as the page would: its CSRF token and the version
        of the case it showed."""
        html = self.html(grievance)
        if "csrf_token" not in html:  # a read-only page: take the session's token elsewhere
            html = self.client.get("/account").get_data(as_text=True)
        db.session.refresh(grievance)
        fields = {
            "csrf_token": csrf_token(html),
            "version": str(grievance.version if version is None else version),
            **data,
        }
        return self.client.post(f"/console/grievances/{grievance.reference}{path}", data=fields)


def console_for(app: Flask, actor: Actor) -> Console:
    """A new client signed in as ``actor``, both steps, as a person would."""
    client = app.test_client()
    account = enrolled(user_of(actor))
    # A code is accepted once: a second sign-in within the same 30 s uses the next code.
    assert account.totp is not None
    last = account.user.totp_last_step
    next_step = 0 if last is None else max(0, last + 1 - account.totp.timecode(utcnow()))
    response = submit_form(
        client, "/sign-in", {"email": account.user.email, "password": account.password}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    response = submit_form(client, "/sign-in/code", {"code": account.code(next_step)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return Console(client, actor)


def text_of(html: str) -> str:
    """The page's text without tags, spaces collapsed: what a person reads."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


__all__ = ["Console", "Scenario", "console_for", "enrolled", "new_user", "text_of", "user_of"]

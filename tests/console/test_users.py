"""The accounts pages: administrators list accounts and deactivate, reactivate, change the
role of, unlock, or reset the second factor of one; each action is a form with its CSRF
token, and the ones that take something away ask for a confirmation box."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.accounts.tokens import issue_token
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models import AuditEvent, OrganisationKind, Role, User
from remedy.models.types import utcnow
from tests.console.case_support import text_of
from tests.support import Account, csrf_token, make_account, make_organisation, sign_in

LIST = "/console/users/"


@pytest.fixture
def admin(app: Flask) -> Account:
    return make_account("admin@example.org", Role.ADMIN)


@pytest.fixture
def admin_client(app: Flask, admin: Account) -> FlaskClient:
    client = app.test_client()
    sign_in(client, admin)
    return client


@pytest.fixture
def handler(app: Flask) -> Account:
    return make_account("handler@example.org")


def page_of(user: User) -> str:
    return f"{LIST}{user.id}"


def act(
    client: FlaskClient, user: User, action: str, data: dict[str, str] | None = None
) -> tuple[int, str]:
    """Post one of the account page's forms, as the page offers it; the page then shown."""
    token = csrf_token(client.get(page_of(user)).get_data(as_text=True))
    response = client.post(f"{page_of(user)}/{action}", data={"csrf_token": token, **(data or {})})
    if response.status_code == 302:
        return 302, client.get(response.headers["Location"]).get_data(as_text=True)
    return response.status_code, response.get_data(as_text=True)


def fresh(user: User) -> User:
    db.session.expire_all()
    found = db.session.get(User, user.id)
    assert found is not None
    return found


def audited(action: str) -> int:
    return len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


# The list ----------------------------------------------------------------------------------


def test_the_list_shows_each_account_and_filters_by_role_and_state(
    admin_client: FlaskClient, handler: Account
) -> None:
    make_account("boss@example.org", Role.SUPERVISOR)
    gone = make_account("gone@example.org")
    gone.user.active = False
    db.session.commit()

    everyone = text_of(admin_client.get(LIST).get_data(as_text=True))
    handlers = text_of(admin_client.get(f"{LIST}?role=handler&active=yes").get_data(as_text=True))
    inactive = text_of(admin_client.get(f"{LIST}?active=no").get_data(as_text=True))

    assert "handler@example.org Handler The mechanism Active Never Set up" in everyone
    assert "4 accounts" in everyone
    assert "handler@example.org" in handlers
    assert "boss@example.org" not in handlers
    assert "gone@example.org" not in handlers
    assert "gone@example.org Handler The mechanism Deactivated" in inactive


def test_an_organisations_account_count_links_to_its_accounts(
    admin_client: FlaskClient, handler: Account
) -> None:
    ngo = make_organisation("Haki Watch", OrganisationKind.NGO)
    make_account("member@haki.example", Role.PROXY_MEMBER, ngo)

    organisations = admin_client.get("/console/organisations/").get_data(as_text=True)
    link = f'href="/console/users/?organisation={ngo.id}"'
    listing = text_of(admin_client.get(f"{LIST}?organisation={ngo.id}").get_data(as_text=True))

    assert link in organisations
    assert "Accounts of Haki Watch." in listing
    assert "member@haki.example" in listing
    assert "handler@example.org" not in listing


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SUPERVISOR, Role.AUDITOR])
def test_only_administrators_open_the_accounts_pages_or_act(
    app: Flask, handler: Account, role: Role
) -> None:
    client = app.test_client()
    sign_in(client, make_account("someone@example.org", role))
    token = csrf_token(client.get("/account").get_data(as_text=True))

    assert client.get(LIST).status_code == 403
    assert client.get(page_of(handler.user)).status_code == 403
    for action in ("deactivate", "role", "unlock", "second-factor", "reactivate"):
        response = client.post(
            f"{page_of(handler.user)}/{action}",
            data={"csrf_token": token, "confirm": "y", "role": "admin"},
        )
        assert response.status_code == 403, action
    assert (fresh(handler.user).active, fresh(handler.user).role) == (True, Role.HANDLER)


# Deactivating ------------------------------------------------------------------------------


def test_deactivating_ends_a_signed_in_session_and_the_tokens_at_once(
    app: Flask, admin_client: FlaskClient, handler: Account
) -> None:
    handler_browser = app.test_client()
    sign_in(handler_browser, handler)
    assert handler_browser.get("/console/").status_code == 200
    issued = issue_token(OPERATOR, handler.user, "bot")

    status, page = act(admin_client, handler.user, "deactivate", {"confirm": "y"})

    assert status == 302
    assert "handler@example.org is deactivated" in page
    next_request = handler_browser.get("/console/")
    assert next_request.status_code == 302
    assert next_request.headers["Location"].startswith("/sign-in")
    api = app.test_client().get(
        "/api/v1/grievances", headers={"Authorization": f"Bearer {issued.secret}"}
    )
    assert api.status_code == 401
    assert audited("user.deactivate") == 1


def test_deactivating_asks_for_the_confirmation_box(
    admin_client: FlaskClient, handler: Account
) -> None:
    status, page = act(admin_client, handler.user, "deactivate")

    assert status == 400
    assert "Tick the box to confirm." in page
    assert fresh(handler.user).active
    assert audited("user.deactivate") == 0


def test_an_administrator_cannot_deactivate_or_demote_themselves(
    admin_client: FlaskClient, admin: Account
) -> None:
    deactivated, page = act(admin_client, admin.user, "deactivate", {"confirm": "y"})
    demoted, other_page = act(admin_client, admin.user, "role", {"confirm": "y", "role": "handler"})

    assert (deactivated, demoted) == (422, 422)
    assert "You cannot deactivate your own account." in page
    assert "You cannot change your own role." in other_page
    assert (fresh(admin.user).active, fresh(admin.user).role) == (True, Role.ADMIN)


def test_a_deactivated_account_is_reactivated(admin_client: FlaskClient, handler: Account) -> None:
    act(admin_client, handler.user, "deactivate", {"confirm": "y"})

    status, page = act(admin_client, handler.user, "reactivate")

    assert status == 302
    assert "handler@example.org can sign in again." in page
    assert fresh(handler.user).active


# The other actions -------------------------------------------------------------------------


def test_the_role_is_changed_with_confirmation(admin_client: FlaskClient, handler: Account) -> None:
    unconfirmed, _page = act(admin_client, handler.user, "role", {"role": "supervisor"})
    status, page = act(admin_client, handler.user, "role", {"role": "supervisor", "confirm": "y"})

    assert (unconfirmed, status) == (400, 302)
    assert "handler@example.org is now: Supervisor." in page
    assert fresh(handler.user).role is Role.SUPERVISOR
    assert audited("user.set_role") == 1


def test_a_locked_account_is_unlocked(admin_client: FlaskClient, handler: Account) -> None:
    handler.user.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    assert "Unlock handler@example.org" in admin_client.get(page_of(handler.user)).get_data(
        as_text=True
    )

    status, page = act(admin_client, handler.user, "unlock")

    assert status == 302
    assert "handler@example.org is unlocked." in page
    assert fresh(handler.user).locked_until is None


def test_resetting_the_second_factor_shows_the_enrolment_link(
    admin_client: FlaskClient, handler: Account
) -> None:
    status, page = act(admin_client, handler.user, "second-factor", {"confirm": "y"})

    assert status == 200
    assert "The second factor of handler@example.org is reset" in page
    link = re.search(r'<code dir="ltr" id="enrolment-link">([^<]+)</code>', page)
    assert link is not None
    assert "/sign-in/enrol/" in link.group(1)
    assert not fresh(handler.user).has_second_factor
    assert audited("user.reset_second_factor") == 1
    # Never in a flash message, which would carry it in the session cookie.
    assert link.group(1) not in admin_client.get(LIST).get_data(as_text=True)

"""An account's life after creation, at the service level: deactivating ends its sessions
and API tokens at once; the last active administrator stays; nobody removes themselves by
mistake; every change is audited, and a refused one leaves no trace."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from remedy.accounts import lifecycle, staff_sessions
from remedy.accounts import tokens as api_tokens
from remedy.accounts import users as accounts
from remedy.accounts.lifecycle import LastAdministrator
from remedy.accounts.roster import AccountFilter, list_accounts
from remedy.core.actors import OPERATOR, Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.models.audit_event import AuditEvent
from remedy.models.organisation import OrganisationKind
from remedy.models.types import utcnow
from remedy.models.user import Role, User
from tests.support import PASSWORD, Account, make_account, make_organisation, submit_form


def events(user: User) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == "user", AuditEvent.subject_id == str(user.id))
            .where(AuditEvent.action.like("user.%"), AuditEvent.action != "user.create")
            .order_by(AuditEvent.seq)
        )
    )


def admin(email: str = "admin@example.org") -> User:
    return make_account(email, Role.ADMIN).user


# Deactivating ------------------------------------------------------------------------------


def test_deactivating_ends_sessions_and_tokens_at_once(app: Flask) -> None:
    handler = make_account().user
    session = staff_sessions.open_session(handler.id)
    issued = api_tokens.issue_token(OPERATOR, handler, "bot")
    db.session.commit()

    lifecycle.deactivate_user(OPERATOR, handler)

    assert handler.active is False
    assert staff_sessions.why_ended(session, handler.id) is staff_sessions.SessionEnd.REVOKED
    with pytest.raises(api_tokens.TokenRejected):
        api_tokens.authenticate(issued.secret)
    assert api_tokens.list_tokens(handler) == []
    (event,) = events(handler)
    assert (event.action, event.before, event.after) == (
        "user.deactivate",
        {"active": True},
        {"active": False, "tokens_revoked": 1},
    )


def test_a_deactivated_account_cannot_sign_in(app: Flask) -> None:
    account = make_account()
    lifecycle.deactivate_user(OPERATOR, account.user)

    with pytest.raises(accounts.SignInFailed, match="deactivated"):
        accounts.check_password(account.user.email, PASSWORD)
    assert accounts.load_user(account.user.get_id()) is None


def test_nobody_deactivates_their_own_account(app: Flask) -> None:
    first, _second = admin(), admin("second@example.org")

    with pytest.raises(InvalidInput, match="your own account"):
        lifecycle.deactivate_user(Actor.for_user(first), first)

    assert first.active
    assert events(first) == []


def test_the_last_active_administrator_is_never_deactivated(app: Flask) -> None:
    only = admin()
    inactive = admin("former@example.org")
    lifecycle.deactivate_user(OPERATOR, inactive)

    with pytest.raises(LastAdministrator, match="last active administrator"):
        lifecycle.deactivate_user(OPERATOR, only)

    db.session.refresh(only)
    assert only.active
    assert events(only) == []


def test_an_administrator_is_deactivated_while_another_remains(app: Flask) -> None:
    leaving, _staying = admin(), admin("staying@example.org")

    lifecycle.deactivate_user(OPERATOR, leaving)

    assert leaving.active is False
    assert lifecycle.active_admins() == 1


# Reactivating ------------------------------------------------------------------------------


def test_reactivating_lets_it_sign_in_but_old_tokens_stay_revoked(app: Flask) -> None:
    account = make_account()
    issued = api_tokens.issue_token(OPERATOR, account.user)
    lifecycle.deactivate_user(OPERATOR, account.user)

    lifecycle.reactivate_user(OPERATOR, account.user)

    assert accounts.check_password(account.user.email, PASSWORD) == account.user
    with pytest.raises(api_tokens.TokenRejected):
        api_tokens.authenticate(issued.secret)
    assert [event.action for event in events(account.user)] == [
        "user.deactivate",
        "user.reactivate",
    ]


def test_reactivating_an_active_account_records_nothing(app: Flask) -> None:
    handler = make_account().user

    lifecycle.reactivate_user(OPERATOR, handler)

    assert events(handler) == []


# Roles -------------------------------------------------------------------------------------


def test_a_new_role_is_audited_and_ends_the_sessions(app: Flask) -> None:
    handler = make_account().user
    session = staff_sessions.open_session(handler.id)
    db.session.commit()

    lifecycle.set_role(OPERATOR, handler, Role.SUPERVISOR)

    assert handler.role is Role.SUPERVISOR
    assert staff_sessions.why_ended(session, handler.id) is staff_sessions.SessionEnd.REVOKED
    (event,) = events(handler)
    assert (event.action, event.before, event.after) == (
        "user.set_role",
        {"role": "handler"},
        {"role": "supervisor"},
    )


def test_the_last_active_administrator_is_never_demoted(app: Flask) -> None:
    only = admin()

    with pytest.raises(LastAdministrator):
        lifecycle.set_role(OPERATOR, only, Role.HANDLER)

    db.session.refresh(only)
    assert only.role is Role.ADMIN
    assert events(only) == []


def test_nobody_changes_their_own_role(app: Flask) -> None:
    first, _second = admin(), admin("second@example.org")

    with pytest.raises(InvalidInput, match="your own role"):
        lifecycle.set_role(Actor.for_user(first), first, Role.HANDLER)


@pytest.mark.parametrize(
    ("start", "to"), [(Role.HANDLER, Role.PROXY_MEMBER), (Role.PROXY_MEMBER, Role.HANDLER)]
)
def test_a_proxy_account_and_a_staff_account_stay_what_they_are(
    app: Flask, start: Role, to: Role
) -> None:
    ngo = make_organisation("Haki Watch", OrganisationKind.NGO)
    user = make_account("someone@example.org", start, ngo).user

    with pytest.raises(InvalidInput, match="proxy member"):
        lifecycle.set_role(OPERATOR, user, to)

    assert user.role is start


# Unlocking and a lost second factor --------------------------------------------------------


def test_unlocking_ends_the_lock_and_is_audited(app: Flask) -> None:
    account = make_account()
    account.user.locked_until = utcnow() + timedelta(minutes=15)
    account.user.failed_sign_ins = 2
    db.session.commit()

    lifecycle.unlock_user(OPERATOR, account.user)

    assert accounts.check_password(account.user.email, PASSWORD) == account.user
    assert [event.action for event in events(account.user)] == ["user.unlock"]


def test_resetting_the_second_factor_sends_the_account_to_enrol_again(app: Flask) -> None:
    account = make_account()
    session = staff_sessions.open_session(account.user.id)
    db.session.commit()

    key = lifecycle.reset_second_factor(OPERATOR, account.user)

    user = account.user
    assert (user.has_second_factor, user.totp_secret, user.totp_last_step) == (False, None, None)
    assert staff_sessions.why_ended(session, user.id) is staff_sessions.SessionEnd.REVOKED
    assert lifecycle.enrolment_url(key).endswith(f"/sign-in/enrol/{key}")
    assert user.enrolment_digest is not None
    assert key not in user.enrolment_digest
    (event,) = events(user)
    assert event.action == "user.reset_second_factor"
    assert key not in str(event.after)


def enrolment_page(client: FlaskClient, account: Account, link: str | None) -> TestResponse:
    """Open the link (when given), then the password step, then the enrolment page."""
    if link is not None:
        assert client.get(link).location == "/sign-in"
    response = submit_form(
        client, "/sign-in", {"email": account.user.email, "password": account.password}
    )
    assert response.location == "/sign-in/enrol"
    return client.get("/sign-in/enrol")


def test_after_a_reset_only_the_link_and_the_password_enrol(
    app: Flask, client: FlaskClient
) -> None:
    account = make_account()
    key = lifecycle.reset_second_factor(OPERATOR, account.user)
    link = f"/sign-in/enrol/{key}"

    without = enrolment_page(client, account, None)
    wrong = enrolment_page(app.test_client(), account, "/sign-in/enrol/not-the-key")
    with_link = enrolment_page(app.test_client(), account, link)

    assert without.location == wrong.location == "/sign-in"
    assert with_link.status_code == 200
    assert "<svg" in with_link.get_data(as_text=True)


def test_the_link_ends_after_its_lifetime_and_once_used(app: Flask, client: FlaskClient) -> None:
    account = make_account()
    key = lifecycle.reset_second_factor(OPERATOR, account.user)
    account.user.enrolment_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()

    assert enrolment_page(client, account, f"/sign-in/enrol/{key}").location == "/sign-in"

    account.user.enrolment_expires_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    user = fresh_user(account.user.id)
    secret = accounts.begin_enrolment(user)
    accounts.complete_enrolment(user, pyotp.TOTP(secret).now())
    assert (user.enrolment_digest, user.enrolment_expires_at) == (None, None)
    assert lifecycle.may_enrol(user, key)  # no reset pending: nothing more is asked


def fresh_user(user_id: int) -> User:
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user is not None
    return user


def test_a_new_account_enrols_with_its_password_as_before(app: Flask) -> None:
    assert lifecycle.may_enrol(make_account(enrolled=False).user, None)


# The list ----------------------------------------------------------------------------------


def test_the_list_filters_by_role_state_and_organisation(app: Flask) -> None:
    ngo = make_organisation("Haki Watch", OrganisationKind.NGO)
    member = make_account("member@haki.example", Role.PROXY_MEMBER, ngo).user
    handler = make_account().user
    gone = make_account("gone@example.org").user
    lifecycle.deactivate_user(OPERATOR, gone)

    assert list_accounts(AccountFilter(role=Role.HANDLER)) == [gone, handler]
    assert list_accounts(AccountFilter(role=Role.HANDLER, active=True)) == [handler]
    assert list_accounts(AccountFilter(active=False)) == [gone]
    assert list_accounts(AccountFilter(organisation_id=ngo.id)) == [member]

"""Sessions live on the server: signing out ends every copy of the cookie, and a session
ends at its absolute lifetime however active it is, besides the 30-minute idle timeout."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from remedy.auth.sessions import SESSION_KEY
from remedy.core.config import ConfigError, load_config
from remedy.core.extensions import db
from remedy.models.staff_session import StaffSession, session_digest
from remedy.models.types import utcnow
from tests.support import Account, IsolatedClient, make_account, sign_in, submit_form

COOKIE = "remedy_session"


@pytest.fixture(autouse=True)
def requests_start_clean(app: Flask) -> None:
    """Who is signed in must come from the session cookie alone (see IsolatedClient)."""
    app.test_client_class = IsolatedClient


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def copy_of_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of this one's session cookie (stolen, or left behind)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def sessions_of(account: Account) -> list[StaffSession]:
    db.session.expire_all()
    query = select(StaffSession).where(StaffSession.user_id == account.user.id)
    return list(db.session.scalars(query.order_by(StaffSession.created_at)))


def this_session(client: FlaskClient) -> StaffSession:
    with client.session_transaction() as session:
        secret = session[SESSION_KEY]
    found = db.session.get(StaffSession, session_digest(secret))
    assert found is not None
    return found


def test_a_cookie_copied_before_sign_out_is_dead_after_it(app: Flask, client: FlaskClient) -> None:
    account = make_account()
    sign_in(client, account)
    copy = copy_of_cookie(app, client)
    assert is_signed_in(copy), "a copy works while the session lives"

    submit_form(client, "/console/", {}, action="/sign-out")

    response = copy.get("/console/")
    assert response.status_code == 302
    assert response.location.startswith("/sign-in")
    assert not is_signed_in(copy)
    (ended,) = sessions_of(account)
    assert ended.revoked_at is not None


def test_signing_out_everywhere_ends_every_session_on_the_server(
    app: Flask, client: FlaskClient
) -> None:
    account = make_account()
    sign_in(client, account)
    copy = copy_of_cookie(app, client)

    submit_form(client, "/account", {}, action="/account/sign-out-everywhere")

    assert not is_signed_in(copy)
    assert all(row.revoked_at is not None for row in sessions_of(account))


def test_a_session_ends_after_its_absolute_lifetime_however_active(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_account())
    assert app.config["REMEDY_SESSION_MAX_AGE"] == timedelta(hours=12)
    assert client.get("/console/").status_code == 200, "active a minute ago"
    row = this_session(client)
    row.created_at = utcnow() - timedelta(hours=12, seconds=1)
    row.last_seen_at = utcnow()
    db.session.commit()

    response = client.get("/console/")

    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")
    page = client.get(response.location).get_data(as_text=True)
    assert "a session lasts at most 12 hours" in page
    assert not is_signed_in(client)


def test_a_session_just_short_of_its_lifetime_still_works(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_account())
    row = this_session(client)
    row.created_at = utcnow() - timedelta(hours=11, minutes=59)
    db.session.commit()

    assert client.get("/console/").status_code == 200


def test_a_session_idle_on_the_server_ends_even_with_a_fresh_cookie(
    app: Flask, client: FlaskClient
) -> None:
    """The cookie's own "last seen" could be replayed; the server's is the one that counts."""
    sign_in(client, make_account())
    row = this_session(client)
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    db.session.commit()

    response = client.get("/console/")

    assert response.location.startswith("/sign-in")
    page = client.get(response.location).get_data(as_text=True)
    assert "You were signed out after 30 minutes without activity." in page


def test_activity_is_noted_on_the_server(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_account())
    row = this_session(client)
    stale = utcnow() - timedelta(minutes=10)
    row.last_seen_at = stale
    db.session.commit()

    assert client.get("/console/").status_code == 200

    db.session.expire_all()
    assert this_session(client).last_seen_at > stale


def test_a_cookie_without_a_server_session_signs_no_one_in(client: FlaskClient) -> None:
    """Sessions from before this version, or forged ones: no row, no session."""
    sign_in(client, make_account())
    with client.session_transaction() as session:
        session[SESSION_KEY] = "not a session anyone opened"

    assert client.get("/console/").location.startswith("/sign-in")
    assert not is_signed_in(client)


def test_the_database_keeps_only_a_hash_of_the_cookie_token(client: FlaskClient) -> None:
    account = make_account()
    sign_in(client, account)
    with client.session_transaction() as session:
        secret = session[SESSION_KEY]

    (row,) = sessions_of(account)
    assert row.id == session_digest(secret) != secret


def test_each_sign_in_is_its_own_session(app: Flask, client: FlaskClient) -> None:
    account = make_account()
    sign_in(client, account)
    other = app.test_client()
    submit_form(other, "/sign-in", {"email": account.user.email, "password": account.password})
    submit_form(other, "/sign-in/code", {"code": account.code(1)})

    submit_form(client, "/console/", {}, action="/sign-out")

    assert is_signed_in(other), "signing out on one device leaves the other"
    assert [row.revoked_at is None for row in sessions_of(account)] == [False, True]


@pytest.mark.parametrize(
    ("value", "hours"), [("", 12), ("8", 8), ("0.5", 0.5)], ids=["default", "8", "half"]
)
def test_the_absolute_lifetime_is_configurable(tmp_path: Path, value: str, hours: float) -> None:
    config = load_config({"REMEDY_SESSION_MAX_HOURS": value}, tmp_path)

    assert config["REMEDY_SESSION_MAX_AGE"] == timedelta(hours=hours)


@pytest.mark.parametrize("value", ["twelve", "0", "-1"])
def test_an_unusable_lifetime_stops_start_up(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="REMEDY_SESSION_MAX_HOURS"):
        load_config({"REMEDY_SESSION_MAX_HOURS": value}, tmp_path)

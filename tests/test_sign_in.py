"""Signing in and out through the web, as a browser would: real CSRF tokens, cookies, redirects."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import quote, urljoin

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from flask_login import user_logged_in
from werkzeug.test import TestResponse

from remedy.accounts import users as accounts
from remedy.auth.sessions import LAST_SEEN_KEY, PENDING_KEY, PENDING_LIFETIME_SECONDS
from remedy.core.extensions import db
from remedy.errors import CSRF_MESSAGE, MESSAGES
from remedy.models.user import Role, User
from tests.support import (
    PASSWORD,
    Account,
    IsolatedClient,
    make_account,
    sign_in,
    submit_form,
)

SITE = "https://remedy.example"
SIGN_IN_FAILED = "That did not work. Check your email, password and code."
NEW_PASSWORD = "a brand new long passphrase"
STAFF_ROLES = [role for role in Role if role.is_staff]
KEY_PATTERN = re.compile(r'<code id="totp-key" class="secret"><bdi>([A-Z2-7 ]+)</bdi></code>')


@pytest.fixture(autouse=True)
def requests_start_clean(app: Flask) -> None:
    """Who is signed in must come from the session cookie, never from a previous request."""
    app.test_client_class = IsolatedClient


def password_step(
    client: FlaskClient, account: Account, password: str | None = None, page: str = "/sign-in"
) -> TestResponse:
    data = {
        "email": account.user.email,
        "password": account.password if password is None else password,
    }
    return submit_form(client, page, data)


def code_step(client: FlaskClient, code: str, page: str = "/sign-in/code") -> TestResponse:
    # The sign-in page carries the same session-bound CSRF token and is always reachable.
    return submit_form(client, "/sign-in", {"code": code}, action=page)


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def second_session(app: Flask, account: Account) -> FlaskClient:
    """The same account signed in on another device, with the next code (codes never repeat)."""
    other = app.test_client()
    assert password_step(other, account).status_code == 302
    assert code_step(other, account.code(1)).status_code == 302
    assert is_signed_in(other)
    return other


def shown_key(html: str) -> str:
    match = KEY_PATTERN.search(html)
    assert match, "the enrolment page shows no key"
    return match.group(1).replace(" ", "")


def wrong_code(totp: pyotp.TOTP) -> str:
    """A code that matches no time step near now."""
    near = {totp.at(time.time() + 30 * steps) for steps in range(-2, 3)}
    return next(code for code in ("000000", "111111", "222222") if code not in near)


def where_a_browser_goes(location: str) -> str:
    """Browsers drop tabs and line breaks from a Location and read backslashes as slashes."""
    cleaned = "".join(c for c in location if c not in "\t\r\n").replace("\\", "/")
    return urljoin(f"{SITE}/sign-in/code", cleaned)


def page_text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


# The whole sign-in --------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_sign_in_with_password_then_code_and_land_in_the_console(
    client: FlaskClient, role: Role
) -> None:
    account = make_account(role=role)

    response = password_step(client, account)
    assert response.status_code == 302
    assert response.location == "/sign-in/code"
    assert not is_signed_in(client)

    response = code_step(client, account.code())
    assert response.status_code == 302
    assert response.location == "/console/"
    console = client.get("/console/")
    assert console.status_code == 200
    assert account.user.email in page_text(console)


def test_a_proxy_member_lands_on_the_proxy_portal(client: FlaskClient) -> None:
    account = make_account("proxy@example.org", Role.PROXY_MEMBER)

    response = sign_in(client, account)

    assert response.location == "/proxy/"
    page = page_text(client.get("/account"))
    assert "proxy@example.org" in page
    assert "Friends of the River" in page


def test_the_code_page_needs_the_password_step_first(client: FlaskClient) -> None:
    make_account()

    assert client.get("/sign-in/code").location == "/sign-in"
    assert client.get("/sign-in/enrol").location == "/sign-in"


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client: FlaskClient) -> None:
    account = make_account()

    wrong_password = password_step(client, account, password="not the password at all")
    unknown = submit_form(
        client, "/sign-in", {"email": "nobody@example.org", "password": account.password}
    )

    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert SIGN_IN_FAILED in page_text(response)
    assert not is_signed_in(client)


def test_a_wrong_code_signs_no_one_in(client: FlaskClient) -> None:
    account = make_account()
    password_step(client, account)

    response = code_step(client, wrong_code(account.totp))

    assert response.status_code == 200
    assert SIGN_IN_FAILED in page_text(response)
    assert not is_signed_in(client)


def test_after_repeated_wrong_codes_even_the_right_code_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    account = make_account()
    password_step(client, account)
    for _attempt in range(app.config["REMEDY_SIGN_IN_LOCKOUT_AFTER"]):
        code_step(client, wrong_code(account.totp))

    response = code_step(client, account.code())

    assert SIGN_IN_FAILED in page_text(response)
    assert not is_signed_in(client)
    assert SIGN_IN_FAILED in page_text(password_step(client, account))


def test_a_code_seen_over_a_shoulder_cannot_be_used_again(app: Flask, client: FlaskClient) -> None:
    account = make_account()
    code = account.code()
    password_step(client, account)
    code_step(client, code)
    assert is_signed_in(client)

    other = app.test_client()
    password_step(other, account)
    response = code_step(other, code)

    assert SIGN_IN_FAILED in page_text(response)
    assert not is_signed_in(other)


def test_a_signed_in_visitor_of_the_sign_in_page_is_sent_home(client: FlaskClient) -> None:
    sign_in(client, make_account())

    assert client.get("/sign-in").location == "/console/"


# Enrolment at first sign-in -------------------------------------------------------


def test_the_first_sign_in_of_an_account_without_second_factor_goes_to_enrolment(
    client: FlaskClient,
) -> None:
    account = make_account(enrolled=False)

    response = password_step(client, account)

    assert response.location == "/sign-in/enrol"
    assert client.get("/sign-in/code").location == "/sign-in"


def test_the_enrolment_page_shows_a_qr_code_and_the_key(client: FlaskClient) -> None:
    account = make_account(enrolled=False)
    password_step(client, account)

    page = page_text(client.get("/sign-in/enrol"))

    assert re.search(r"<figure class=\"qr\"[^>]*>\s*<svg", page)
    db.session.expire_all()
    assert shown_key(page) == account.user.totp_secret


def test_reloading_the_enrolment_page_keeps_the_same_key(client: FlaskClient) -> None:
    account = make_account(enrolled=False)
    password_step(client, account)

    first = shown_key(page_text(client.get("/sign-in/enrol")))
    second = shown_key(page_text(client.get("/sign-in/enrol")))

    assert first == second


def test_a_code_from_the_shown_key_completes_enrolment_and_signs_in(
    app: Flask, client: FlaskClient
) -> None:
    account = make_account(enrolled=False)
    password_step(client, account)
    totp = pyotp.TOTP(shown_key(page_text(client.get("/sign-in/enrol"))))

    response = code_step(client, totp.now(), page="/sign-in/enrol")

    assert response.location == "/console/"
    assert "Your authenticator app is set up" in page_text(client.get("/console/"))
    # From now on the account is asked for a code, and cannot enrol again.
    enrolled = Account(account.user, account.password, totp)
    other = app.test_client()
    assert password_step(other, enrolled).location == "/sign-in/code"
    assert other.get("/sign-in/enrol").location == "/sign-in"


def test_a_wrong_code_at_enrolment_keeps_the_account_without_second_factor(
    client: FlaskClient,
) -> None:
    account = make_account(enrolled=False)
    password_step(client, account)
    key = shown_key(page_text(client.get("/sign-in/enrol")))
    response = code_step(client, wrong_code(pyotp.TOTP(key)), page="/sign-in/enrol")

    assert response.status_code == 200
    assert SIGN_IN_FAILED in page_text(response)
    assert shown_key(page_text(response)) == key
    db.session.expire_all()
    assert not account.user.has_second_factor


def test_the_pending_sign_in_expires_after_five_minutes(client: FlaskClient) -> None:
    account = make_account()
    password_step(client, account)
    assert client.get("/sign-in/code").status_code == 200

    with client.session_transaction() as session:
        pending = session[PENDING_KEY]
        session[PENDING_KEY] = {**pending, "at": pending["at"] - PENDING_LIFETIME_SECONDS - 1}

    assert client.get("/sign-in/code").location == "/sign-in"
    assert code_step(client, account.code()).location == "/sign-in"
    assert not is_signed_in(client)


# Who may open what ----------------------------------------------------------------


def test_the_console_refuses_proxy_members(client: FlaskClient) -> None:
    sign_in(client, make_account("proxy@example.org", Role.PROXY_MEMBER))

    response = client.get("/console/")

    assert response.status_code == 403
    assert str(MESSAGES[403][0]) in page_text(response)


@pytest.mark.parametrize("page", ["/console/", "/account"])
def test_anonymous_visitors_are_sent_to_sign_in(client: FlaskClient, page: str) -> None:
    response = client.get(page)

    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")
    assert "Please sign in to open this page." in page_text(client.get(response.location))


def test_after_signing_in_the_visitor_lands_on_the_page_they_asked_for(
    client: FlaskClient,
) -> None:
    account = make_account()
    sign_in_page = client.get("/account").location

    response = password_step(client, account, page=sign_in_page)
    assert response.location.startswith("/sign-in/code?next=")
    response = code_step(client, account.code(), page=response.location)

    assert response.location == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "https:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/account\r\nSet-Cookie: x=1",
        "javascript:alert(1)",
    ],
)
def test_sign_in_never_redirects_away_from_the_site(client: FlaskClient, target: str) -> None:
    account = make_account()
    response = password_step(client, account, page=f"/sign-in?next={quote(target, safe='')}")
    assert response.status_code == 302

    response = code_step(client, account.code(), page=response.location)

    assert response.status_code == 302
    assert where_a_browser_goes(response.location).startswith(f"{SITE}/")


# Signing out and CSRF --------------------------------------------------------------


def test_signing_out_takes_a_post_with_the_page_token(client: FlaskClient) -> None:
    sign_in(client, make_account())

    response = submit_form(client, "/console/", {}, action="/sign-out")

    assert response.location == "/sign-in"
    assert "You are signed out." in page_text(client.get("/sign-in"))
    assert not is_signed_in(client)


def test_a_link_to_sign_out_does_nothing(client: FlaskClient) -> None:
    sign_in(client, make_account())

    response = client.get("/sign-out")

    assert response.status_code == 405
    assert is_signed_in(client)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("/sign-out", {}),
        ("/account/sign-out-everywhere", {}),
        (
            "/account/password",
            {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        ),
    ],
)
def test_a_post_without_csrf_token_gets_the_friendly_400_page_and_changes_nothing(
    client: FlaskClient, action: str, data: dict[str, str]
) -> None:
    account = make_account()
    sign_in(client, account)
    session_id, password_hash = account.user.get_id(), account.user.password_hash

    response = client.post(action, data=data)

    assert response.status_code == 400
    assert str(CSRF_MESSAGE) in page_text(response)
    assert is_signed_in(client)
    db.session.expire_all()
    assert (account.user.get_id(), account.user.password_hash) == (session_id, password_hash)


def test_a_sign_in_post_without_csrf_token_checks_nothing(client: FlaskClient) -> None:
    account = make_account()

    response = client.post(
        "/sign-in", data={"email": account.user.email, "password": "not the password at all"}
    )

    assert response.status_code == 400
    db.session.expire_all()
    assert account.user.failed_sign_ins == 0


# Sessions end ----------------------------------------------------------------------


def test_the_session_cookie_is_out_of_reach_of_scripts_and_other_sites(
    client: FlaskClient,
) -> None:
    response = sign_in(client, make_account())

    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("remedy_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_thirty_idle_minutes_sign_the_session_out(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_account())
    idle = int(app.config["REMEDY_IDLE_TIMEOUT"].total_seconds())
    assert idle == 30 * 60

    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] -= idle + 1
    response = client.get("/console/")

    assert response.status_code == 302
    assert response.location.startswith("/sign-in?next=")
    page = page_text(client.get(response.location))
    assert "You were signed out after 30 minutes without activity." in page
    assert client.get("/console/").location.startswith("/sign-in")


def test_the_api_answers_for_itself_even_with_an_idle_console_cookie(
    app: Flask, client: FlaskClient
) -> None:
    sign_in(client, make_account())
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] -= int(app.config["REMEDY_IDLE_TIMEOUT"].total_seconds()) + 1
    response = client.get("/api/v1/grievances")

    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_activity_keeps_the_session_alive(app: Flask, client: FlaskClient) -> None:
    sign_in(client, make_account())
    almost_idle = int(app.config["REMEDY_IDLE_TIMEOUT"].total_seconds()) - 60

    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] -= almost_idle
        stale = session[LAST_SEEN_KEY]
    assert client.get("/console/").status_code == 200

    with client.session_transaction() as session:
        assert session[LAST_SEEN_KEY] >= stale + almost_idle


def test_a_session_without_a_last_seen_time_is_signed_out(client: FlaskClient) -> None:
    sign_in(client, make_account())

    with client.session_transaction() as session:
        del session[LAST_SEEN_KEY]

    assert client.get("/console/").location.startswith("/sign-in")
    assert not is_signed_in(client)


def test_signing_out_everywhere_ends_the_other_sessions(app: Flask, client: FlaskClient) -> None:
    account = make_account()
    sign_in(client, account)
    other = second_session(app, account)

    response = submit_form(other, "/account", {}, action="/account/sign-out-everywhere")

    assert response.location == "/sign-in"
    assert "You are signed out on every device." in page_text(other.get("/sign-in"))
    assert not is_signed_in(other)
    assert not is_signed_in(client)


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(
    app: Flask, client: FlaskClient
) -> None:
    account = make_account()
    sign_in(client, account)
    other = second_session(app, account)

    response = submit_form(
        other,
        "/account",
        {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        action="/account/password",
    )

    assert response.location == "/account"
    assert "Your password is changed." in page_text(other.get("/account"))
    assert is_signed_in(other)
    assert not is_signed_in(client)
    assert password_step(client, account, password=NEW_PASSWORD).location == "/sign-in/code"


def test_after_a_password_change_the_request_still_knows_who_is_signed_in(
    app: Flask, client: FlaskClient
) -> None:
    account = make_account()
    sign_in(client, account)
    seen: list[str] = []

    def remember(sender: Flask, user: User) -> None:
        seen.append(user.email)

    with user_logged_in.connected_to(remember, app):
        response = submit_form(
            client,
            "/account",
            {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            action="/account/password",
        )

    assert response.status_code == 302
    assert seen == [account.user.email]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {
                "current_password": "not it at all",
                "password": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
            },
            "The current password is not right.",
        ),
        (
            {"current_password": PASSWORD, "password": "too short", "confirm": "too short"},
            "Use a password of at least 12 characters.",
        ),
        (
            {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "?"},
            "The passwords differ.",
        ),
    ],
)
def test_a_refused_password_change_says_why_and_keeps_the_old_password(
    client: FlaskClient, data: dict[str, str], message: str
) -> None:
    account = make_account()
    sign_in(client, account)
    password_hash = account.user.password_hash

    response = submit_form(client, "/account", data, action="/account/password")

    assert response.status_code == 400
    assert message in page_text(response)
    assert is_signed_in(client)
    db.session.expire_all()
    assert account.user.password_hash == password_hash


# Throttling ------------------------------------------------------------------------


class TestThrottling:
    """Flask-Limiter counts POSTs per address, before any password or code is checked."""

    @pytest.fixture
    def app_overrides(self) -> dict[str, Any]:
        return {"REMEDY_SIGN_IN_RATE_LIMIT": "3 per minute"}

    def test_sign_in_answers_429_after_the_allowed_posts(self, client: FlaskClient) -> None:
        account = make_account()
        for _attempt in range(3):
            response = password_step(client, account, password="not the password at all")
            assert response.status_code == 200

        response = password_step(client, account)

        assert response.status_code == 429
        assert not is_signed_in(client)
        db.session.expire_all()
        assert account.user.failed_sign_ins == 3

    def test_the_code_step_is_throttled_too(self, client: FlaskClient) -> None:
        account = make_account()
        password_step(client, account)
        for _attempt in range(3):
            assert code_step(client, "12345x").status_code == 200

        assert code_step(client, account.code()).status_code == 429
        assert not is_signed_in(client)

    def test_the_set_up_link_is_throttled_too(self, client: FlaskClient) -> None:
        link = f"/setup/{accounts.first_admin_token()}"
        for _attempt in range(3):
            assert submit_form(client, link, {"email": "admin@example.org"}).status_code == 200

        assert submit_form(client, link, {"email": "admin@example.org"}).status_code == 429

    def test_reading_the_sign_in_page_is_not_throttled(self, client: FlaskClient) -> None:
        for _attempt in range(6):
            assert client.get("/sign-in").status_code == 200

    def test_the_429_page_is_the_friendly_translated_page(self, client: FlaskClient) -> None:
        account = make_account()
        client.get("/sign-in?lang=fr")
        for _attempt in range(3):
            password_step(client, account, password="not the password at all")

        response = password_step(client, account)

        page = page_text(response)
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0
        assert '<html lang="fr" dir="ltr">' in page
        with force_locale("fr"):
            title, message = (str(text) for text in MESSAGES[429])
        assert f"<h1>{title}</h1>" in page
        assert message in page
        assert "per 1 minute" not in page


# First run -------------------------------------------------------------------------


def setup_link() -> str:
    return f"/setup/{accounts.first_admin_token()}"


def create_first_admin(client: FlaskClient, **fields: str) -> TestResponse:
    data = {"email": "admin@example.org", "password": PASSWORD, "confirm": PASSWORD, **fields}
    return submit_form(client, setup_link(), data)


def test_the_set_up_link_creates_the_first_admin_who_then_enrols(client: FlaskClient) -> None:
    assert client.get(setup_link()).status_code == 200

    response = create_first_admin(client)

    assert response.location == "/sign-in"
    assert "The administrator account is ready." in page_text(client.get("/sign-in"))
    admin = accounts.find_user("admin@example.org")
    assert admin is not None
    assert admin.role is Role.ADMIN
    assert not admin.has_second_factor
    assert not is_signed_in(client)

    response = password_step(client, Account(admin, PASSWORD, None))
    assert response.location == "/sign-in/enrol"
    totp = pyotp.TOTP(shown_key(page_text(client.get(response.location))))
    response = code_step(client, totp.now(), page="/sign-in/enrol")

    assert response.location == "/console/"
    assert client.get("/console/").status_code == 200


def test_the_set_up_link_is_dead_once_an_admin_exists(client: FlaskClient) -> None:
    link = setup_link()
    create_first_admin(client)

    assert client.get(link).status_code == 404
    data = {"email": "second@example.org", "password": PASSWORD, "confirm": PASSWORD}
    assert submit_form(client, "/sign-in", data, action=link).status_code == 404
    assert accounts.count_users() == 1


@pytest.mark.parametrize("token", ["0" * 40, "not-the-token", "x" * 101])
def test_a_wrong_set_up_token_is_not_found(client: FlaskClient, token: str) -> None:
    response = client.get(f"/setup/{token}")

    assert response.status_code == 404
    assert str(MESSAGES[404][0]) in page_text(response)


def test_a_truncated_set_up_token_is_not_found(client: FlaskClient) -> None:
    assert client.get(setup_link()[:-1]).status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"confirm": PASSWORD + "?"}, "The passwords differ."),
        ({"password": "too short", "confirm": "too short"}, "at least 12 characters"),
        ({"email": "not an email"}, "Enter a valid email address."),
    ],
)
def test_a_refused_first_admin_says_why_and_leaves_the_link_open(
    client: FlaskClient, fields: dict[str, str], message: str
) -> None:
    response = create_first_admin(client, **fields)

    assert response.status_code == 200
    assert message in page_text(response)
    assert accounts.count_users() == 0
    assert client.get(setup_link()).status_code == 200


def test_the_set_up_pages_are_not_cached(client: FlaskClient) -> None:
    assert client.get(setup_link()).headers["Cache-Control"] == "no-store"

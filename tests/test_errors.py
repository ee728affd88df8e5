"""Errors: a friendly translated page for people, a JSON body under /api/, never a leak of
what went wrong inside, and never a 5xx whatever a client sends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.test import TestResponse

from remedy.access.case_access import CaseNotFound, TooManyAttempts
from remedy.accounts import users as accounts
from remedy.api.problems import BY_STATUS
from remedy.core.errors import ConflictError, InvalidInput, NotAllowed
from remedy.errors import CSRF_MESSAGE, MESSAGES
from tests.support import CSRF_PATTERN, Account, IsolatedClient, make_account, submit_form

SECRET_DETAIL = "the vault combination is 4-8-15-16-23-42"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    # The fuzz tests post hundreds of forms; rate limits are tested where they are defined.
    # (Not RATELIMIT_ENABLED=False: Flask-Limiter keeps that on its one shared instance, so it
    # would switch rate limiting off for every app created after this one.)
    return {"REMEDY_SIGN_IN_RATE_LIMIT": "100000 per minute"}


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Requests in their own app context, or Flask-Babel's cached locale would carry over."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def friendly_text(code: int, language: str = "en") -> tuple[str, str]:
    """The title and message people see for an error code, in a language."""
    title, message = MESSAGES[code]
    with force_locale(language):
        return str(title), str(message)


def assert_friendly_page(response: TestResponse, code: int, language: str = "en") -> None:
    title, message = friendly_text(code, language)
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert f'<html lang="{language}"' in html
    assert f"<h1>{title}</h1>" in html
    assert message in html
    assert 'href="/"' in html, "the page offers no way back to the home page"


def assert_json_error(response: TestResponse, code: int) -> dict[str, Any]:
    """The API's problem+json (RFC 9457), also for addresses that never reached the API."""
    assert response.status_code == code
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == code
    assert body["title"] == str(BY_STATUS[code].title)
    assert body["type"].startswith("/api/v1/docs#problem-")
    return dict(body)


# Friendly pages ------------------------------------------------------------------------


def test_an_unknown_page_gets_the_friendly_not_found_page(client: FlaskClient) -> None:
    assert_friendly_page(client.get("/no/such/page"), 404)


@pytest.mark.parametrize(
    ("query", "headers"),
    [("?lang=fr", {}), ("", {"Accept-Language": "fr-FR,fr;q=0.9"})],
    ids=["chosen", "browser"],
)
def test_the_not_found_page_speaks_the_visitors_language(
    client: FlaskClient, query: str, headers: dict[str, str]
) -> None:
    response = client.get(f"/no/such/page{query}", headers=headers)

    assert_friendly_page(response, 404, "fr")
    assert friendly_text(404, "fr") != friendly_text(404, "en"), "not translated into French"


def test_a_wrong_method_gets_the_friendly_page_and_says_which_methods_work(
    client: FlaskClient,
) -> None:
    response = client.post("/")

    assert_friendly_page(response, 405)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}


def test_an_expired_form_gets_a_friendly_page_that_says_why(client: FlaskClient) -> None:
    response = client.post("/sign-in", data={"email": "someone@example.org", "password": "x"})

    assert response.status_code == 400
    assert str(CSRF_MESSAGE) in response.get_data(as_text=True)


# The API answers in JSON ----------------------------------------------------------------


@pytest.fixture
def api_route(app: Flask) -> str:
    """A test-only API endpoint, until the API has its own."""
    app.add_url_rule("/api/test-only", "api_test_only", lambda: {"ok": True})
    return "/api/test-only"


def test_an_unknown_api_path_answers_in_json(client: FlaskClient) -> None:
    error = assert_json_error(client.get("/api/no/such/thing"), 404)

    assert error["detail"]


@pytest.mark.commits
def test_a_wrong_method_on_the_api_answers_in_json(client: FlaskClient, api_route: str) -> None:
    response = client.delete(api_route)

    assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]


# Failures on our side --------------------------------------------------------------------


@pytest.fixture
def failing_routes(app: Flask) -> tuple[str, str]:
    """A page and an API endpoint that fail with an exception naming a secret."""

    def fail() -> str:
        raise RuntimeError(SECRET_DETAIL)

    app.add_url_rule("/test-only/fail", "test_only_fail", fail)
    app.add_url_rule("/api/test-only/fail", "api_test_only_fail", fail)
    # As in production: the exception is handled, not re-raised into the test.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return "/test-only/fail", "/api/test-only/fail"


@pytest.mark.commits
@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_failure_renders_the_friendly_page_without_its_details(
    client: FlaskClient, failing_routes: tuple[str, str], language: str
) -> None:
    page, _api = failing_routes

    response = client.get(f"{page}?lang={language}")

    assert_friendly_page(response, 500, language)
    html = response.get_data(as_text=True)
    assert SECRET_DETAIL not in html
    assert "RuntimeError" not in html
    assert "Traceback" not in html
    assert "no-store" in response.headers["Cache-Control"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.commits
def test_a_failure_in_the_api_answers_in_json_without_its_details(
    client: FlaskClient, failing_routes: tuple[str, str]
) -> None:
    _page, api = failing_routes

    response = client.get(api)

    error = assert_json_error(response, 500)
    assert SECRET_DETAIL not in response.get_data(as_text=True)
    assert error["detail"] == friendly_text(500)[1]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (lambda: TooManyAttempts(), 429),
        (lambda: CaseNotFound(), 404),
        (lambda: NotAllowed("Not yours."), 403),
        (lambda: InvalidInput("Bad."), 422),
        (lambda: ConflictError("changed"), 409),
    ],
)
@pytest.mark.commits
def test_service_refusals_raised_anywhere_become_clear_answers(
    app: Flask, client: FlaskClient, error: Callable[[], Exception], status: int
) -> None:
    def refuse() -> str:
        raise error()

    app.add_url_rule("/test-only/refuse", "test_only_refuse", refuse)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    assert client.get("/test-only/refuse").status_code == status


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\u200f"])
@pytest.mark.parametrize("page", ["/sign-in", "first run"])
def test_an_email_with_control_characters_is_refused_by_the_form(
    client: FlaskClient, page: str, control: str
) -> None:
    path = f"/setup/{accounts.first_admin_token()}" if page == "first run" else page
    email = f"admin{control}@example.org"
    passphrase = "a long enough passphrase"

    response = submit_form(
        client, path, {"email": email, "password": passphrase, "confirm": passphrase}
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    assert accounts.count_users() == 0


# Whatever a client sends, never a 5xx -----------------------------------------------------

FUZZ = settings(
    # No time limit per example (the profiles in tests/conftest.py): it would make the suite
    # flaky, not safer. The app and its database are shared by the examples on purpose:
    # state piles up as it would on a server that receives this traffic.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
ANY_TEXT = st.text(max_size=80)
HEADER_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
FIELD_NAMES = st.sampled_from(
    ["email", "password", "confirm", "code", "csrf_token", "next", "lang"]
) | st.text(max_size=12)
QUERIES = st.lists(st.tuples(FIELD_NAMES, ANY_TEXT), max_size=4).map(urlencode)
# Paths as a server hands them over (PATH_INFO, already percent-decoded): any bytes at all.
PATH_PARTS = st.text(max_size=20).map(str.encode) | st.binary(max_size=20)
PATHS = st.builds(
    lambda prefix, parts: b"/".join([b"", prefix, *parts]),
    st.sampled_from(
        [b"", b"setup", b"sign-in", b"sign-in/code", b"sign-in/enrol", b"static", b"api"]
    ),
    st.lists(PATH_PARTS, max_size=3),
)
RAW_BODIES = st.tuples(
    st.binary(max_size=300),
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/json",
            "text/plain; charset=utf-16",
        ]
    ),
)


def assert_handled(response: TestResponse) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]),
    path=PATHS,
    query=QUERIES,
    accept_language=HEADER_TEXT,
)
@FUZZ
def test_any_path_and_query_is_answered_without_a_server_error(
    client: FlaskClient, method: str, path: bytes, query: str, accept_language: str
) -> None:
    response = client.open(
        method=method,
        query_string=query,
        headers={"Accept-Language": accept_language},
        environ_overrides={"PATH_INFO": path.decode("latin-1")},
    )

    assert_handled(response)


@dataclass
class FormTarget:
    """A form page, and a client standing where a person would be when posting it."""

    client: FlaskClient
    path: str
    csrf_token: str


def _stand_at(app: Flask, path: str, password_given: Account | None = None) -> FormTarget:
    app.test_client_class = IsolatedClient
    client = app.test_client()
    if password_given is not None:
        credentials = {"email": password_given.user.email, "password": password_given.password}
        submit_form(client, "/sign-in", credentials)
    match = CSRF_PATTERN.search(client.get(path).get_data(as_text=True))
    return FormTarget(client, path, match.group(1) if match else "")


FORM_TARGETS: dict[str, Callable[[Flask], FormTarget]] = {
    "home": lambda app: _stand_at(app, "/"),
    "sign-in": lambda app: _stand_at(app, "/sign-in"),
    "first run": lambda app: _stand_at(app, f"/setup/{accounts.first_admin_token()}"),
    "first run, wrong link": lambda app: _stand_at(app, "/setup/not-the-link"),
    "second factor": lambda app: _stand_at(app, "/sign-in/code", make_account()),
    "enrolment": lambda app: _stand_at(app, "/sign-in/enrol", make_account(enrolled=False)),
}


@pytest.fixture(params=FORM_TARGETS)
def form_target(request: pytest.FixtureRequest, app: Flask) -> FormTarget:
    return FORM_TARGETS[request.param](app)


# The fields the forms know, each maybe missing, plus anything else.
FORM_FIELDS = st.tuples(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(["email", "password", "confirm", "code", "next"], ANY_TEXT),
    ),
    st.lists(st.tuples(FIELD_NAMES, ANY_TEXT), max_size=3),
).map(lambda known_and_other: [*known_and_other[0].items(), *known_and_other[1]])


@given(fields=FORM_FIELDS, query=QUERIES, with_token=st.booleans())
# PostgreSQL refuses NUL in text: a request must never get as far as asking it.
@example(
    fields=[("email", "a\x00@example.org"), ("password", "passphrase\x00")],
    query="",
    with_token=True,
)
@example(
    fields=[("email", "b\x00@example.org"), ("password", "p" * 12), ("confirm", "p" * 12)],
    query="",
    with_token=True,
)
@FUZZ
def test_any_form_post_is_answered_without_a_server_error(
    form_target: FormTarget, fields: list[tuple[str, str]], query: str, with_token: bool
) -> None:
    if with_token:
        fields = [*fields, ("csrf_token", form_target.csrf_token)]

    response = form_target.client.post(form_target.path, query_string=query, data=MultiDict(fields))

    assert_handled(response)


@given(body=RAW_BODIES)
@FUZZ
def test_any_request_body_is_answered_without_a_server_error(
    form_target: FormTarget, body: tuple[bytes, str]
) -> None:
    raw, content_type = body

    response = form_target.client.post(form_target.path, data=raw, content_type=content_type)

    assert_handled(response)

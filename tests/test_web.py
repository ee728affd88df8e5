"""The web shell: which language a page is in, the headers every page carries, what a page
may contain under the Content-Security-Policy, and how heavy the public page is."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from remedy.accounts import users as accounts
from remedy.core.config import LANGUAGES
from remedy.models.user import Role
from tests.support import IsolatedClient, make_account, sign_in, submit_form
from tests.web.tour import walk
from tests.workflows.scenarios import Scenario

HTML_LANGUAGE = re.compile(r'<html lang="([^"]*)" dir="([^"]*)">')
PUBLIC_PAGE_BUDGET = 50 * 1024


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Requests in their own app context, or Flask-Babel's cached locale would carry over."""
    app.test_client_class = IsolatedClient
    return app.test_client()


def language_of(response: TestResponse) -> tuple[str, str]:
    """The ``lang`` and ``dir`` the page declares on ``<html>``."""
    return language_of_html(response.get_data(as_text=True))


def language_of_html(html: str) -> tuple[str, str]:
    match = HTML_LANGUAGE.search(html)
    assert match, "the page has no <html lang dir>"
    return match.group(1), match.group(2)


# Languages -----------------------------------------------------------------------------


def test_without_any_hint_a_page_is_in_the_default_language(client: FlaskClient) -> None:
    assert language_of(client.get("/")) == ("en", "ltr")


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("fr", "fr"),
        ("sw-KE,sw;q=0.9,en;q=0.8", "sw"),
        ("ar-EG", "ar"),
        ("de-DE, es;q=0.5", "es"),
        ("fr;q=0, es", "es"),
        ("de, ja", "en"),
    ],
)
def test_the_browser_language_is_used_when_none_was_chosen(
    client: FlaskClient, accept_language: str, expected: str
) -> None:
    response = client.get("/", headers={"Accept-Language": accept_language})

    assert language_of(response)[0] == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_chosen_language_wins_over_the_browser_and_sets_the_direction(
    client: FlaskClient, language: str
) -> None:
    browser = "sw" if language != "sw" else "fr"

    response = client.get(f"/?lang={language}", headers={"Accept-Language": browser})

    assert language_of(response) == (language, "rtl" if language == "ar" else "ltr")


def test_a_chosen_language_is_remembered_on_the_next_pages(client: FlaskClient) -> None:
    client.get("/?lang=ar")

    response = client.get("/sign-in", headers={"Accept-Language": "fr"})

    assert language_of(response) == ("ar", "rtl")


def test_a_link_to_filing_in_a_language_keeps_it_without_cookies(app: Flask) -> None:
    """A shared link such as /file?lang=sw reaches the first question in Swahili even in a
    browser that keeps no cookie."""
    first = app.test_client(use_cookies=False).get("/file?lang=sw")

    assert first.status_code == 302
    assert first.location.endswith("/file/what?lang=sw")
    page = app.test_client(use_cookies=False).get(first.location)
    assert language_of(page)[0] == "sw"


def test_a_link_to_filing_without_a_language_adds_none(app: Flask) -> None:
    assert app.test_client().get("/file").location.endswith("/file/what")
    assert app.test_client().get("/file?lang=xx").location.endswith("/file/what")


def test_no_page_makes_the_browser_ask_for_an_icon(client: FlaskClient) -> None:
    """An icon would cost a phone on a slow network a second request; a browser that asks
    anyway gets an empty answer, not a 404."""
    assert '<link rel="icon" href="data:,">' in client.get("/").get_data(as_text=True)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 204
    assert icon.data == b""


def test_choosing_again_replaces_the_remembered_language(client: FlaskClient) -> None:
    client.get("/?lang=ar")
    client.get("/?lang=es")

    assert language_of(client.get("/"))[0] == "es"


@pytest.mark.parametrize("unknown", ["xx", "", "EN", "fr-FR", "../ar"])
def test_an_unknown_language_choice_is_ignored(client: FlaskClient, unknown: str) -> None:
    response = client.get("/", query_string={"lang": unknown}, headers={"Accept-Language": "es"})

    assert response.status_code == 200
    assert language_of(response)[0] == "es"


def test_an_unknown_language_choice_keeps_the_remembered_one(client: FlaskClient) -> None:
    client.get("/?lang=fr")

    response = client.get("/?lang=xx", headers={"Accept-Language": "es"})

    assert language_of(response)[0] == "fr"


def test_the_chosen_language_survives_signing_in_and_out(client: FlaskClient) -> None:
    account = make_account()
    client.get("/?lang=fr")

    sign_in(client, account)
    assert language_of(client.get("/console/"))[0] == "fr"

    submit_form(client, "/console/", {}, action="/sign-out")
    assert language_of(client.get("/sign-in"))[0] == "fr"


# Every page --------------------------------------------------------------------------

PageOpener = Callable[[FlaskClient], TestResponse]


def _second_factor_page(client: FlaskClient) -> TestResponse:
    account = make_account()
    submit_form(client, "/sign-in", {"email": account.user.email, "password": account.password})
    return client.get("/sign-in/code")


def _enrolment_page(client: FlaskClient) -> TestResponse:
    account = make_account(enrolled=False)
    submit_form(client, "/sign-in", {"email": account.user.email, "password": account.password})
    return client.get("/sign-in/enrol")


def _signed_in_page(path: str) -> PageOpener:
    def open_page(client: FlaskClient) -> TestResponse:
        sign_in(client, make_account(role=Role.SUPERVISOR))
        return client.get(path)

    return open_page


# Every HTML page the app renders, by the route that serves it, and how to reach it.
PAGES: dict[str, tuple[str, PageOpener]] = {
    "home": ("/", lambda client: client.get("/")),
    "sign-in": ("/sign-in", lambda client: client.get("/sign-in")),
    "second factor": ("/sign-in/code", _second_factor_page),
    "enrolment": ("/sign-in/enrol", _enrolment_page),
    # The link an admin gives after resetting a second factor: the sign-in page, with why.
    "enrolment link": (
        "/sign-in/enrol/<key>",
        lambda client: client.get("/sign-in/enrol/a-reset-key", follow_redirects=True),
    ),
    "first run": (
        "/setup/<token>",
        lambda client: client.get(f"/setup/{accounts.first_admin_token()}"),
    ),
    "console": ("/console/", _signed_in_page("/console/")),
    "account": ("/account", _signed_in_page("/account")),
    "not found": ("", lambda client: client.get("/no/such/page")),
    "method not allowed": ("", lambda client: client.post("/")),
    "expired form": ("", lambda client: client.post("/sign-in", data={"email": "a@b.org"})),
}


@pytest.fixture(params=PAGES)
def html_page(request: pytest.FixtureRequest, client: FlaskClient) -> TestResponse:
    _rule, open_page = PAGES[request.param]
    response = open_page(client)
    assert response.mimetype == "text/html"
    assert response.status_code in (200, 400, 404, 405), response.status
    return response


# Pages whose blueprints are checked here; the public site's pages are checked through the
# tour of every public page (tests/web/tour.py) further down.
CHECKED_HERE = ("auth.",)


def test_every_sign_in_and_error_page_is_checked_here(app: Flask) -> None:
    served = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.endpoint.startswith(CHECKED_HERE)
    }

    assert served <= {rule for rule, _open in PAGES.values()}


def test_the_tour_visits_every_public_page(app: Flask, client: FlaskClient) -> None:
    scenario = Scenario.create()
    adapter = app.url_map.bind("localhost")
    pages = [page for page in walk(client, scenario, "en") if page.status != 404]
    visited = {adapter.match(page.path.split("?")[0])[0] for page in pages}
    public = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("web.") and "GET" in (rule.methods or ())
    }

    # /file only redirects to the first question not answered yet; /statistics.csv is a
    # file, not a page (tests/statistics/test_publication.py reads it).
    assert public - visited == {"web.file_start", "web.statistics_csv"}


def content_security_policy(response: TestResponse) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def test_every_page_sends_the_security_headers(html_page: TestResponse) -> None:
    policy = content_security_policy(html_page)
    headers = html_page.headers

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in headers["Cache-Control"]


def test_static_files_may_be_cached(client: FlaskClient) -> None:
    response = client.get("/static/remedy.css")

    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


class InlineCodeFinder(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.blocked.append(f'style="{value}" on <{tag}>')
            if name.startswith("on"):
                self.blocked.append(f"{name} handler on <{tag}>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.blocked.append(f"javascript: URL on <{tag}>")


def test_no_page_holds_inline_script_or_style(html_page: TestResponse) -> None:
    finder = InlineCodeFinder()
    finder.feed(html_page.get_data(as_text=True))

    assert finder.blocked == []


def test_the_enrolment_qr_code_is_an_inline_svg_the_policy_allows(client: FlaskClient) -> None:
    html = _enrolment_page(client).get_data(as_text=True)
    finder = InlineCodeFinder()
    finder.feed(html)

    assert re.search(r'<figure class="qr"[^>]*><svg [^>]*viewBox=', html)
    assert finder.blocked == []


class Resources(HTMLParser):
    """The stylesheets, scripts and images a page makes the browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet":
            self.urls.append(attributes["href"] or "")
        elif tag in ("script", "img") and attributes.get("src"):
            self.urls.append(attributes["src"] or "")


# The weight depends on each language's words: every language, in every run.
@pytest.mark.every_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_with_its_stylesheet_weighs_under_50_kb(
    client: FlaskClient, language: str
) -> None:
    pages = walk(client, Scenario.create(), language)
    stylesheet = len(client.get("/static/remedy.css").data)

    weights = {page.name: len(page.body) + stylesheet for page in pages}

    assert len(pages) >= 25
    assert {name: size for name, size in weights.items() if size >= PUBLIC_PAGE_BUDGET} == {}


def test_every_public_page_answers_as_expected_and_holds_no_inline_code(
    client: FlaskClient,
) -> None:
    for page in walk(client, Scenario.create(), "ar"):
        expected = 404 if page.name == "not found" else 400 if "error" in page.name else 200
        assert page.status == expected, page.name
        html = page.body.decode()
        assert language_of_html(html) == ("ar", "rtl"), page.name
        finder = InlineCodeFinder()
        finder.feed(html)
        assert finder.blocked == [], page.name


# The weight depends on each language's words: every language, in every run.
@pytest.mark.every_language
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_with_everything_it_loads_weighs_under_50_kb(
    client: FlaskClient, language: str
) -> None:
    home = client.get(f"/?lang={language}")
    resources = Resources()
    resources.feed(home.get_data(as_text=True))
    assert resources.urls, "the home page loads no stylesheet"

    loaded = [client.get(url) for url in resources.urls]

    assert all(response.status_code == 200 for response in loaded)
    assert len(home.data) + sum(len(response.data) for response in loaded) < PUBLIC_PAGE_BUDGET

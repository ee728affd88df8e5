"""The published statistics: the page in every language (no script, under 50 KB), the CSV
and the API (no token), and never a person, a place or anyone's words in any of them."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remedy.cases import intake
from remedy.core.config import LANGUAGES
from remedy.core.extensions import db
from remedy.filing.grievances import PersonDetails
from remedy.models.grievance import Category
from remedy.models.person import Person
from tests.statistics.cases import build_case_set
from tests.support import IsolatedClient, file_grievance
from tests.test_web import PUBLIC_PAGE_BUDGET, InlineCodeFinder
from tests.workflows.scenarios import Scenario


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Figures computed at every request, so each one sees the cases just added."""
    return {"REMEDY_STATISTICS_MAX_AGE": timedelta(0)}


@pytest.fixture
def client(app: Any) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


def published(client: FlaskClient, language: str = "en") -> dict[str, str]:
    return {
        "page": client.get(f"/statistics?lang={language}").get_data(as_text=True),
        "csv": client.get("/statistics.csv").get_data(as_text=True),
        "api": client.get("/api/v1/statistics").get_data(as_text=True),
    }


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_page_has_no_script_and_weighs_under_50_kb_with_its_stylesheet(
    client: FlaskClient, scenario: Scenario, code: str
) -> None:
    build_case_set(scenario)

    response = client.get(f"/statistics?lang={code}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{code}" dir="{"rtl" if code == "ar" else "ltr"}">' in html
    assert "<script" not in html.lower()
    finder = InlineCodeFinder()
    finder.feed(html)
    assert finder.blocked == []
    stylesheet = len(client.get("/static/remedy.css").data)
    assert len(response.data) + stylesheet < PUBLIC_PAGE_BUDGET
    assert html.count('role="img"') == html.count("<title id=")


def test_each_chart_is_named_and_followed_by_its_table(
    client: FlaskClient, scenario: Scenario
) -> None:
    build_case_set(scenario)

    html = client.get("/statistics").get_data(as_text=True)

    charts = re.findall(r'<svg class="chart" role="img" aria-labelledby="([^"]+)"', html)
    assert "chart-months" in charts
    for chart in charts:
        assert f'<title id="{chart}">' in html
        assert html.index("<table", html.index(chart)) > html.index(chart)


def test_the_home_page_links_to_the_statistics(client: FlaskClient) -> None:
    assert 'href="/statistics"' in client.get("/").get_data(as_text=True)


def test_the_csv_names_each_table_and_says_suppressed_for_a_hidden_cell(
    client: FlaskClient, scenario: Scenario
) -> None:
    build_case_set(scenario)

    response = client.get("/statistics.csv")

    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0]["table"] == "about"
    sms = next(r for r in rows if (r["table"], r["row"]) == ("channels", "sms"))
    assert sms["value"] == "suppressed"
    total = next(r for r in rows if (r["table"], r["row"]) == ("channels", "total"))
    assert total["value"] == "8"


def test_the_api_needs_no_token_and_hides_the_same_cells(
    client: FlaskClient, scenario: Scenario
) -> None:
    build_case_set(scenario)

    response = client.get("/api/v1/statistics")

    assert response.status_code == 200
    body = response.get_json()
    channels = next(t for t in body["tables"] if t["name"] == "channels")
    sms = next(r for r in channels["rows"] if r["key"] == "sms")
    assert sms["cells"] == [{"column": "count", "value": None, "suppressed": True}]
    assert body["min_cell"] == 5


def test_the_api_documents_the_public_statistics(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()

    operation = document["paths"]["/api/v1/statistics"]["get"]
    assert operation["security"] == []
    assert "200" in operation["responses"]


MARKER = st.text(alphabet="BCDFGHJKLMNPQRSTVWXZ", min_size=10, max_size=14)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(description=MARKER, place=MARKER, name=MARKER, reason=MARKER)
def test_no_words_place_person_or_pseudonym_ever_reach_the_published_figures(
    client: FlaskClient,
    scenario: Scenario,
    description: str,
    place: str,
    name: str,
    reason: str,
) -> None:
    submitted = file_grievance(
        f"Marker {description}",
        location=f"{place} village",
        category=Category.LAND,
        complainant=PersonDetails(name, None, "en"),
    )
    intake.reject(scenario.handler, submitted.grievance, f"Reason {reason}", scenario.court())
    db.session.commit()
    pseudonyms = [p.pseudonym for p in db.session.scalars(db.select(Person)) if p.pseudonym]
    secrets = [description, place, name, reason, submitted.grievance.reference, *pseudonyms]

    for language in ("en", "ar"):
        for where, text in published(client, language).items():
            for secret in secrets:
                assert secret not in text, (where, secret)


def test_with_no_grievance_yet_every_address_answers_with_zeros(client: FlaskClient) -> None:
    pages = published(client, "ar")

    assert "<svg" in pages["page"]
    rows = csv.DictReader(io.StringIO(pages["csv"]))
    assert [r["value"] for r in rows if (r["table"], r["row"]) == ("channels", "total")] == ["0"]
    assert client.get("/api/v1/statistics").status_code == 200

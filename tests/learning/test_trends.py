"""The trends page: grievances counted by root cause, region, organisation, channel and
month over a period, from aggregate SQL on both databases, as tables and as CSV; counts
and labels only, never a word of a complaint, a place as typed or a person."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask

from remedy.cases import case_root_causes
from remedy.core.extensions import db
from remedy.core.references import display
from remedy.models import Channel, Grievance
from tests.console.case_support import console_for, text_of
from tests.learning.support import cause
from tests.workflows.scenarios import Scenario

# Month and region grouping are SQL that differs between the databases.
pytestmark = pytest.mark.postgres
PERIOD = "?from=2026-01-01&to=2026-03-31"


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"REMEDY_REGIONS": ("Kisumu", "Turkana", "Nyando bridge")}


def received(grievance: Grievance, year: int, month: int, day: int) -> Grievance:
    grievance.received_at = datetime(year, month, day, 23, 30, tzinfo=UTC)
    db.session.flush()
    return grievance


def caused(scenario: Scenario, grievance: Grievance, *keys: str) -> None:
    case_root_causes.set_root_causes(scenario.handler, grievance, [cause(key).id for key in keys])


@pytest.fixture
def cases(scenario: Scenario) -> list[Grievance]:
    """Four grievances in the first quarter of 2026, and one before it."""
    first, _tracks = scenario.in_remedy(location="Nyando bridge, Kisumu")
    caused(scenario, first, "wages", "land")
    second = scenario.in_assessment(channel=Channel.WEB, location="Kisumu town")
    caused(scenario, second, "wages")
    third = scenario.file(channel=Channel.VOICE, location="Lodwar, Turkana")
    fourth = scenario.file()
    before = scenario.in_assessment(location="Kisumu")
    caused(scenario, before, "water")
    received(first, 2026, 1, 15)
    received(second, 2026, 2, 10)
    received(third, 2026, 2, 20)
    received(fourth, 2026, 3, 31)
    received(before, 2025, 12, 31)
    db.session.commit()
    return [first, second, third, fourth, before]


def table(html: str, dimension: str) -> list[tuple[str, str]]:
    section = html.split(f'id="trend-{dimension}"')[1].split("</section>")[0]
    rows = section.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    return [tuple(text_of(cell) for cell in row.split("</th>")) for row in rows]  # type: ignore[misc]


def test_the_figures_match_a_hand_built_set_of_cases(
    app: Flask, scenario: Scenario, cases: list[Grievance]
) -> None:
    console = console_for(app, scenario.supervisor)

    html = console.client.get("/console/trends" + PERIOD).get_data(as_text=True)

    assert "4 grievances received from" in text_of(html)
    assert table(html, "root_cause") == [
        ("Wages and pay", "2"),
        ("Land acquisition or use", "1"),
        ("No root cause recorded", "2"),
    ]
    assert table(html, "region") == [
        ("Kisumu", "2"),
        ("Nyando bridge", "1"),
        ("Turkana", "1"),
        ("Not in a listed region", "1"),
    ]
    assert table(html, "organisation") == [
        (scenario.company.name, "1"),
        ("No organisation classified yet", "3"),
    ]
    assert table(html, "channel") == [("SMS", "2"), ("Voice call", "1"), ("Web", "1")]
    assert table(html, "month") == [("2026-01", "1"), ("2026-02", "2"), ("2026-03", "1")]


def test_each_dimension_is_drawn_before_its_table(
    app: Flask, scenario: Scenario, cases: list[Grievance]
) -> None:
    html = console_for(app, scenario.supervisor).client.get("/console/trends" + PERIOD).text

    for name in ("trend-root_cause", "trend-region", "trend-organisation", "trend-channel"):
        assert f'aria-labelledby="chart-{name}"' in html, name
    assert 'aria-labelledby="chart-months"' in html  # months as columns
    assert '<title id="chart-trend-channel">By channel.' in html
    assert "<script" not in html


def test_the_csv_holds_the_same_figures_and_no_free_text_or_identity(
    app: Flask, scenario: Scenario, cases: list[Grievance]
) -> None:
    console = console_for(app, scenario.handler)

    answer = console.client.get("/console/trends.csv" + PERIOD)

    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True))))
    assert rows[0] == ["dimension", "key", "label", "grievances", "from", "to"]
    assert rows[1] == ["total", "", "", "4", "2026-01-01", "2026-03-31"]
    found = {(row[0], row[1]): row[3] for row in rows[2:]}
    assert found[("root_cause", "wages")] == "2"
    assert found[("root_cause", "(none)")] == "2"
    assert found[("region", "Kisumu")] == "2"
    assert found[("channel", "voice")] == "1"
    assert found[("month", "2026-02")] == "2"
    assert found[("organisation", str(scenario.company.id))] == "1"
    page = console.client.get("/console/trends" + PERIOD).get_data(as_text=True)
    for shown in (answer.get_data(as_text=True), page):
        assert "fence" not in shown  # the complaint's words
        assert "Lodwar" not in shown
        assert "Kisumu town" not in shown
        assert "Person " not in shown
        assert "+2547" not in shown
        for grievance in cases:
            assert grievance.reference not in shown
            assert display(grievance.reference) not in shown


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=2026-13-01", "Write the date as year-month-day, such as 2027-03-31."),
        ("?from=2026-03-01&to=2026-01-01", "The period ends before it starts."),
        ("?from=2000-01-01&to=2026-01-01", "Choose a period of at most ten years."),
    ],
)
def test_a_bad_period_is_a_clear_error(
    app: Flask, scenario: Scenario, query: str, message: str
) -> None:
    console = console_for(app, scenario.supervisor)
    for path in ("/console/trends", "/console/trends.csv"):
        answer = console.client.get(path + query)
        assert answer.status_code == 422
        assert message in text_of(answer.get_data(as_text=True))


def test_only_the_mechanisms_own_staff_read_the_trends(app: Flask, scenario: Scenario) -> None:
    for actor in (scenario.handler, scenario.auditor):
        assert console_for(app, actor).client.get("/console/trends").status_code == 200
    company = console_for(app, scenario.company_handler)
    assert company.client.get("/console/trends").status_code == 403
    assert company.client.get("/console/trends.csv").status_code == 403

"""The supervisor's figures from back-dated history: time per stage in days, outcomes with
"closed" apart from "remedied", and the same figures as a CSV file."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask import Flask

from remedy.accounts import users as accounts
from remedy.cases import intake
from remedy.core.actors import OPERATOR
from remedy.models import Grievance, Outcome, Role, TrackKind
from remedy.models.types import time_travel, utcnow
from remedy.queue.workload import outcomes
from tests.console.case_support import console_for, text_of
from tests.workflows.scenarios import Scenario

pytestmark = pytest.mark.postgres

DAY = timedelta(days=1)


def screened_three_days(scenario: Scenario) -> Grievance:
    """Filed twenty days ago, accepted three days later: a stay of three days in screening."""
    filed = utcnow() - 20 * DAY
    with time_travel(filed) as move_to:
        grievance = scenario.file()
        move_to(filed + 3 * DAY)
        intake.accept(scenario.handler, grievance)
    return grievance


def section(html: str, title_id: str) -> str:
    return text_of(html.split(f'id="{title_id}"', 1)[1].split("</section>", 1)[0])


def test_time_per_stage_reads_in_days_from_back_dated_history(
    app: Flask, scenario: Scenario
) -> None:
    screened_three_days(scenario)
    client = console_for(app, scenario.supervisor).client

    stages = section(
        client.get("/console/supervisor?days=30").get_data(as_text=True), "stages-title"
    )

    assert "Screening 1 3 days 3 days" in stages
    assert "0 seconds" not in stages


def test_outcomes_count_closed_apart_from_remedied(scenario: Scenario) -> None:
    _grievance, (remedied,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.to_track_state(remedied, "remedied")
    _other, (closed,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.to_track_state(closed, "unconfirmed")
    withdrawn = scenario.file()
    intake.withdraw(scenario.complainant(withdrawn), withdrawn)

    found = {row.outcome: (row.grievances, row.tracks) for row in outcomes(scenario.supervisor)}

    assert list(found) == list(Outcome)  # every outcome, zeros too
    assert found[Outcome.REMEDIED] == (1, 1)
    assert found[Outcome.UNCONFIRMED] == (1, 1)
    assert found[Outcome.WITHDRAWN] == (1, 0)
    assert found[Outcome.PARTLY_REMEDIED] == (0, 0)


def test_outcomes_count_only_what_ended_in_the_window(scenario: Scenario) -> None:
    withdrawn = scenario.file()
    intake.withdraw(scenario.complainant(withdrawn), withdrawn)

    now = {row.outcome: row.grievances for row in outcomes(scenario.supervisor)}
    later = {
        row.outcome: row.grievances
        for row in outcomes(scenario.supervisor, DAY, utcnow() + 3 * DAY)
    }

    assert (now[Outcome.WITHDRAWN], later[Outcome.WITHDRAWN]) == (1, 0)


def test_the_supervisor_page_shows_the_outcomes(app: Flask, scenario: Scenario) -> None:
    _grievance, (track,) = scenario.in_remedy(TrackKind.CAUSE)
    scenario.to_track_state(track, "unconfirmed")
    client = console_for(app, scenario.supervisor).client

    shown = section(client.get("/console/supervisor").get_data(as_text=True), "outcomes-title")

    assert "closed without your confirmation 1 1" in shown
    assert "remedied 0 0" in shown


def read_csv(body: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body)))


def test_the_figures_download_as_csv(app: Flask, scenario: Scenario) -> None:
    screened_three_days(scenario)
    withdrawn = scenario.file()
    intake.withdraw(scenario.complainant(withdrawn), withdrawn)
    accounts.create_user(
        OPERATOR,
        "formula@example.org",
        "a long enough passphrase",
        Role.HANDLER,
        display_name="=HYPERLINK(0)",
    )
    client = console_for(app, scenario.auditor).client

    response = client.get("/console/supervisor.csv?days=30")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.get_data(as_text=True))
    screening = next(row for row in rows if row["item"] == "grievance:screening")
    # Three days, and the withdrawn grievance's moment: their median is half of it.
    assert screening["stays"] == "2"
    assert screening["longest_seconds"] == str(3 * 86400)
    assert 0 < int(screening["median_seconds"]) < 3 * 86400
    by_outcome = {row["item"]: row for row in rows if row["section"] == "outcome"}
    assert list(by_outcome) == [outcome.value for outcome in Outcome]
    assert by_outcome["withdrawn"]["grievances"] == "1"
    assert by_outcome["remedied"]["grievances"] == "0"
    labels = {row["label"] for row in rows if row["section"] == "workload"}
    assert "'=HYPERLINK(0)" in labels, "a formula never runs in a spreadsheet"
    unassigned = next(row for row in rows if row["item"] == "unassigned")
    assert unassigned["open"] == "1"


def test_the_csv_is_for_supervisors_and_auditors_only(app: Flask, scenario: Scenario) -> None:
    expected = {"supervisor": 200, "auditor": 200, "handler": 403, "company_handler": 403}

    got = {
        who: console_for(app, getattr(scenario, who))
        .client.get("/console/supervisor.csv")
        .status_code
        for who in expected
    }

    assert got == expected
    client = console_for(app, scenario.supervisor).client
    assert client.get("/console/supervisor.csv?days=7").status_code == 422

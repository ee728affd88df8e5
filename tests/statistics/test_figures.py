"""Every figure, computed from a hand-built set of cases, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from remedy.accounts.organisations import set_publish_statistics
from remedy.cases import intake
from remedy.cases.deadlines import run_deadlines
from remedy.core.actors import OPERATOR
from remedy.core.extensions import db
from remedy.models.statistics_snapshot import StatisticsSnapshot
from remedy.models.types import utcnow
from remedy.statistics.cache import fresh_counts, refresh
from remedy.statistics.counts import Period
from remedy.statistics.figures import Figures, Table, compute
from tests.statistics.cases import build_case_set
from tests.workflows.scenarios import Scenario

pytestmark = pytest.mark.postgres


def table(figures: Figures, name: str) -> Table:
    return next(t for t in figures.tables if t.name == name)


def counts(figures: Figures, name: str, column: int = 0) -> dict[str, object]:
    return {row.key: row.cells[column].value for row in table(figures, name).rows}


@pytest.fixture
def figures(scenario: Scenario) -> Figures:
    build_case_set(scenario)
    return compute(suppress=False)


def test_grievances_received_by_month_channel_and_category(figures: Figures) -> None:
    month = utcnow().strftime("%Y-%m")

    assert counts(figures, "months") == {month: 8, "total": 8}
    assert counts(figures, "channels") == {
        "sms": 3,
        "whatsapp": 1,
        "voice": 2,
        "web": 2,
        "proxy": 0,
        "api": 0,
        "total": 8,
    }
    categories = counts(figures, "categories")
    assert {key: n for key, n in categories.items() if n} == {
        "land": 4,
        "environment": 1,
        "labour": 1,
        "none": 2,
        "total": 8,
    }


def test_where_grievances_stand_keeps_closed_apart_from_remedied(figures: Figures) -> None:
    # Under review after an appeal is still being handled.
    assert counts(figures, "standing") == {
        "open": 2,
        "resolved": 3,
        "not_admissible": 1,
        "no_involvement": 1,
        "withdrawn": 1,
        "total": 8,
    }
    assert counts(figures, "standing", 1)["resolved"] == pytest.approx(3 / 8)
    outcomes = counts(figures, "outcomes")
    assert {key: n for key, n in outcomes.items() if n} == {
        "remedied": 3,
        "partly_remedied": 1,
        "total": 4,
    }


def test_with_no_region_listed_there_is_no_region_table(figures: Figures) -> None:
    """REMEDY_REGIONS is empty here: a table of one row ("elsewhere") would say nothing."""
    assert "regions" not in [table.name for table in figures.tables]


def test_how_fair_the_people_found_the_handling(figures: Figures) -> None:
    assert counts(figures, "fairness") == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0, "total": 1}


def test_the_peoples_confirmation_satisfaction_and_appeals(figures: Figures) -> None:
    assert counts(figures, "confirmations") == {"yes": 3, "partly": 1, "no": 0, "total": 4}
    assert counts(figures, "confirmations", 1)["yes"] == pytest.approx(0.75)
    assert counts(figures, "satisfaction") == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1, "total": 2}
    assert counts(figures, "appeals") == {"upheld": 0, "overturned": 0, "pending": 1, "total": 1}


def test_time_in_each_stage_counts_the_stays_that_ended(figures: Figures) -> None:
    stays = counts(figures, "stages", 1)

    assert "grievance:received" not in stays  # transient: no time is spent there
    assert stays["grievance:screening"] == 7
    assert stays["grievance:assessment"] == 5
    assert stays["track:verifying"] == 4
    assert all(row.cells[0].value is not None for row in table(figures, "stages").rows)


def test_deadlines_met_counts_ended_work_that_never_went_overdue(scenario: Scenario) -> None:
    build_case_set(scenario)
    late = scenario.file()
    run_deadlines(utcnow() + timedelta(days=400))
    intake.withdraw(scenario.complainant(late), late)
    db.session.commit()

    deadlines = table(compute(suppress=False), "deadlines")
    rows = {row.key: [cell.value for cell in row.cells] for row in deadlines.rows}

    # The nine grievances' open ones went overdue too, but only ended work counts.
    assert rows["grievances"] == [7, 6, 1, pytest.approx(6 / 7)]
    assert rows["tracks"] == [4, 4, 0, pytest.approx(1.0)]


def test_only_organisations_that_agreed_are_named(scenario: Scenario) -> None:
    build_case_set(scenario)
    assert "organisations" not in {t.name for t in compute(suppress=False).tables}

    set_publish_statistics(OPERATOR, scenario.company, True)
    db.session.execute(db.delete(StatisticsSnapshot))
    db.session.commit()

    assert counts(compute(suppress=False), "organisations") == {"Acme Mining": 4}


def test_a_period_counts_only_the_grievances_received_in_it(scenario: Scenario) -> None:
    build_case_set(scenario)
    now = utcnow()

    assert fresh_counts(Period(now + timedelta(days=1), None))[1]["total"] == 0
    assert fresh_counts(Period(now - timedelta(days=1), now + timedelta(days=1)))[1]["total"] == 8


def test_figures_are_kept_until_they_are_older_than_the_max_age(
    scenario: Scenario, app: Flask
) -> None:
    build_case_set(scenario)
    first, kept = fresh_counts()
    scenario.file()
    db.session.commit()

    assert fresh_counts()[1]["total"] == kept["total"] == 8
    later = first + timedelta(minutes=16)
    computed_at, again = fresh_counts(now=later)
    assert (computed_at, again["total"]) == (later, 9)
    assert db.session.scalars(select(StatisticsSnapshot.computed_at)).one() == later


def test_published_figures_hide_small_counts_and_carry_no_value_for_them(
    scenario: Scenario,
) -> None:
    build_case_set(scenario)

    published = compute()

    # 3, 1, 2 and 2 of 8, the rest 0: every non-zero one is small, so the zeros are hidden
    # too (or four hidden cells beside zeros would say how many channels share the 8).
    channels = table(published, "channels")
    assert [row.cells[0].value for row in channels.rows] == [None] * 6 + [8]
    assert all(row.cells[0].hidden for row in channels.rows[:-1])
    standing = table(published, "standing")
    assert all(cell.value is None for row in standing.rows[:-1] for cell in row.cells)
    stages = {row.key: row.cells for row in table(published, "stages").rows}
    assert stages["grievance:screening"][0].value is not None  # 7 stays: a median
    assert stages["grievance:resolved"][0].hidden  # 1 stay: no median


def test_the_worker_counts_again_once_the_kept_counts_are_half_their_max_age(
    scenario: Scenario,
) -> None:
    build_case_set(scenario)
    now = utcnow()

    assert refresh(now)  # nothing kept yet
    scenario.file()
    db.session.commit()
    assert not refresh(now + timedelta(minutes=7))
    assert fresh_counts(now=now + timedelta(minutes=7))[1]["total"] == 8
    assert refresh(now + timedelta(minutes=8))
    assert fresh_counts(now=now + timedelta(minutes=8))[1]["total"] == 9

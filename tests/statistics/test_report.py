"""The periodic report: ``flask report --period 2026-Q4`` writes print-ready HTML and
its CSV with the UNGP 31 criteria, the published figures and the period's lessons."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from remedy.cases.lessons import LessonInput, create_lesson
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.models.root_cause import RootCause
from remedy.models.types import utcnow
from remedy.statistics.report import parse_period
from tests.statistics.cases import build_case_set
from tests.workflows.scenarios import Scenario

LESSON = "Agree the fence line with the village before building."


def this_quarter() -> str:
    today = utcnow()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-Q4", datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2026-Q1", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)),
        ("2026-11", datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-12", datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)),
        ("2025", datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_period_is_a_year_a_quarter_or_a_month(text: str, start: datetime, end: datetime) -> None:
    period = parse_period(text)

    assert (period.start, period.end) == (start, end)
    assert period.last_day == (end - timedelta(days=1)).date()


@pytest.mark.parametrize("bad", ["", "2026-Q5", "2026-13", "Q4", "26-Q4", "2026-Q4x"])
def test_anything_else_is_refused_with_the_forms_it_takes(bad: str) -> None:
    with pytest.raises(InvalidInput, match="2026-Q4"):
        parse_period(bad)


def test_the_report_of_a_period_holds_criteria_figures_and_lessons(
    app: Flask, runner: FlaskCliRunner, scenario: Scenario, tmp_path: Path
) -> None:
    build_case_set(scenario)
    cause = db.session.scalars(select(RootCause).order_by(RootCause.id)).first()
    assert cause is not None
    create_lesson(
        scenario.supervisor,
        LessonInput(LESSON, [cause.id], scenario.supervisor.user_id, utcnow().date()),
    )
    db.session.commit()
    period = this_quarter()

    result = runner.invoke(args=["report", "--period", period, "--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    html = (tmp_path / f"report-{period}.html").read_text()
    rows = list(csv.reader(io.StringIO((tmp_path / f"report-{period}.csv").read_text())))
    assert f"Report for {period}" in html
    for criterion in ("Legitimate", "Accessible", "Predictable", "Equitable", "Transparent"):
        assert f'<th scope="row">{criterion}</th>' in html
    assert "8 grievances received in the period." in html
    assert LESSON in html
    assert 'id="table-fairness"' in html
    assert "<script" not in html
    assert ["about", "min_cell", "", "", "5"] in rows
    assert any(row[0] == "lessons" and row[2] == LESSON for row in rows)
    assert any(row[:2] == ["months", "total"] and row[4] == "8" for row in rows)


def test_a_period_before_any_grievance_still_makes_a_report(
    app: Flask, runner: FlaskCliRunner, scenario: Scenario, tmp_path: Path
) -> None:
    build_case_set(scenario)

    result = runner.invoke(
        args=["report", "--period", "2001", "--out", str(tmp_path), "--language", "fr"]
    )

    assert result.exit_code == 0, result.output
    html = (tmp_path / "report-2001.html").read_text()
    assert 'lang="fr"' in html
    assert "Rapport pour 2001" in html
    assert "8 grievances" not in html


def test_a_bad_period_or_language_is_a_usage_error(runner: FlaskCliRunner, tmp_path: Path) -> None:
    bad_period = runner.invoke(args=["report", "--period", "2026-Q5", "--out", str(tmp_path)])
    bad_language = runner.invoke(
        args=["report", "--period", "2026", "--out", str(tmp_path), "--language", "de"]
    )

    assert bad_period.exit_code == 2
    assert "2026-Q4" in bad_period.output
    assert bad_language.exit_code == 2
    assert not list(tmp_path.iterdir())

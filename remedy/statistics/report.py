"""The periodic report (``flask report --period 2026-Q4``): the public figures of the
grievances received in a period, read against the effectiveness criteria of UNGP 31, with
the lessons learned and the measures due in it; print-ready HTML and its CSV.

The figures are the published ones (small numbers hidden, ``remedy.statistics.suppression``)
because a report leaves the building. Lessons are the team's own words about the mechanism,
written without personal data (the lesson form says so); no owner is named.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from flask import render_template
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.i18n import text_direction
from remedy.models.lesson import Lesson
from remedy.statistics.charts import cell_text, tables_context
from remedy.statistics.counts import Period
from remedy.statistics.export import as_csv
from remedy.statistics.figures import Cell, Figures, compute

PERIOD_FORM = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")


@dataclass(frozen=True)
class ReportPeriod:
    name: str  # as asked: "2026-Q4", "2026-11", "2026"
    start: datetime  # included
    end: datetime  # excluded

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.end.date().toordinal() - 1)


def parse_period(text: str) -> ReportPeriod:
    """A year (``2026``), a quarter (``2026-Q4``) or a month (``2026-11``), in UTC."""
    found = PERIOD_FORM.match(text.strip())
    if found is None:
        raise InvalidInput(
            _("Give a year, a quarter or a month, such as 2026, 2026-Q4 or 2026-11."), "period"
        )
    year = int(found.group(1))
    if found.group(2):
        first_month, months = (int(found.group(2)) - 1) * 3 + 1, 3
    elif found.group(3):
        first_month, months = int(found.group(3)), 1
    else:
        first_month, months = 1, 12
    start = datetime(year, first_month, 1, tzinfo=UTC)
    end_month = first_month + months
    end = datetime(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1, tzinfo=UTC)
    return ReportPeriod(text.strip(), start, end)


@dataclass(frozen=True)
class Indicator:
    """One effectiveness criterion of UNGP 31, the tables that show it, and a headline."""

    key: str
    criterion: LazyString
    question: LazyString
    tables: tuple[str, ...]
    headline: str | None = None


CRITERIA: tuple[tuple[str, LazyString, LazyString, tuple[str, ...]], ...] = (
    (
        "legitimate",
        _l("Legitimate"),
        _l("Are decisions reviewed when the people contest them?"),
        ("appeals",),
    ),
    (
        "accessible",
        _l("Accessible"),
        _l("Do people reach the mechanism on the channels they have?"),
        ("months", "channels"),
    ),
    (
        "predictable",
        _l("Predictable"),
        _l("Does each stage take the time announced?"),
        ("stages", "deadlines"),
    ),
    (
        "equitable",
        _l("Equitable"),
        _l("Do the affected people themselves confirm what they received?"),
        ("confirmations",),
    ),
    (
        "transparent",
        _l("Transparent"),
        _l("How did the grievances end? Closed is not remedied."),
        ("standing", "outcomes"),
    ),
    (
        "rights_compatible",
        _l("Rights-compatible"),
        _l("Were the harms remedied, and the people satisfied with the remedy?"),
        ("outcomes", "satisfaction"),
    ),
    (
        "learning",
        _l("A source of continuous learning"),
        _l("What did the team learn, and what did it change?"),
        (),
    ),
    (
        "engagement",
        _l("Based on engagement and dialogue"),
        _l("How fair did the people find the way their case was handled?"),
        ("fairness",),
    ),
)


def _cell(figures: Figures, table: str, row: str, column: str) -> Cell | None:
    for found in figures.tables:
        if found.name == table:
            index = found.column_keys.index(column) if column in found.column_keys else None
            for item in found.rows:
                if item.key == row and index is not None:
                    return item.cells[index]
    return None


def _headlines(figures: Figures) -> dict[str, str]:
    """One sentence a criterion where the period's figures allow it (never a hidden one)."""
    said: dict[str, str] = {}
    received = _cell(figures, "months", "total", "count")
    if received is not None and received.value is not None:
        said["accessible"] = _(
            "%(count)s grievances received in the period.", count=cell_text(received)
        )
    met = _cell(figures, "deadlines", "grievances", "share_met")
    if met is not None and met.value is not None:
        said["predictable"] = _(
            "%(share)s of the grievances that ended met every deadline.", share=cell_text(met)
        )
    confirmed = _cell(figures, "confirmations", "yes", "share")
    if confirmed is not None and confirmed.value is not None:
        said["equitable"] = _(
            "The people confirmed delivery in %(share)s of their answers.",
            share=cell_text(confirmed),
        )
    return said


def indicators(figures: Figures, lessons: list[Lesson]) -> list[Indicator]:
    said = _headlines(figures)
    said["learning"] = _("%(count)s lessons and measures concern the period.", count=len(lessons))
    return [
        Indicator(key, criterion, question, tables, said.get(key))
        for key, criterion, question, tables in CRITERIA
    ]


def lessons_of(period: ReportPeriod) -> list[Lesson]:
    """Lessons written in the period, or with a measure due in it."""
    return list(
        db.session.scalars(
            select(Lesson)
            .where(
                or_(
                    (Lesson.created_at >= period.start) & (Lesson.created_at < period.end),
                    (Lesson.due_on >= period.first_day) & (Lesson.due_on <= period.last_day),
                )
            )
            .order_by(Lesson.due_on, Lesson.id)
        )
    )


@dataclass(frozen=True)
class Written:
    html: Path
    csv: Path


def write_report(period: ReportPeriod, folder: Path, language: str) -> Written:
    """Render the report in ``language`` (the caller sets the locale) into ``folder``."""
    figures = compute(period.period)
    lessons = lessons_of(period)
    folder.mkdir(parents=True, exist_ok=True)
    html_path = folder / f"report-{period.name}.html"
    csv_path = folder / f"report-{period.name}.csv"
    stylesheet = (Path(__file__).resolve().parent.parent / "static" / "remedy.css").read_text()
    html_path.write_text(
        render_template(
            "statistics/report.html",
            period=period,
            indicators=indicators(figures, lessons),
            lessons=lessons,
            stylesheet=stylesheet,
            language=language,
            direction=text_direction(language),
            **tables_context(figures, text_direction(language) == "rtl"),
        )
    )
    csv_path.write_text(as_csv(figures) + _lessons_csv(lessons, language))
    return Written(html_path, csv_path)


def _lessons_csv(lessons: list[Lesson], language: str) -> str:
    """The lessons as more rows of the figures' CSV (table ``lessons``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for lesson in lessons:
        causes = "; ".join(cause.label_in(language) for cause in lesson.root_causes)
        writer.writerow(("lessons", lesson.id, lesson.text, lesson.status.value, causes))
        writer.writerow(("lessons", lesson.id, "due_on", "", lesson.due_on.isoformat()))
    return out.getvalue()

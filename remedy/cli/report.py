"""``flask report --period 2026-Q4``: the periodic report, print-ready HTML and its CSV
(see remedy/statistics/report.py)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from remedy.core.errors import InvalidInput
from remedy.core.settings import settings
from remedy.statistics.report import parse_period, write_report


@click.command("report")
@click.option("--period", required=True, help="A year, quarter or month: 2026, 2026-Q4, 2026-11.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The folder to write report-PERIOD.html and report-PERIOD.csv into.",
)
@click.option("--language", default=None, help="en, fr, es, sw or ar (default: the mechanism's).")
@with_appcontext
def report(period: str, out: Path, language: str | None) -> None:
    """Write the report of the grievances received in a period: the UNGP 31 criteria, the
    public figures (small numbers hidden) and the lessons and measures of the period."""
    try:
        parsed = parse_period(period)
    except InvalidInput as problem:
        raise click.BadParameter(str(problem), param_hint="--period") from problem
    language = language or settings().default_language
    if language not in settings().languages:
        raise click.BadParameter(
            f"one of {', '.join(settings().languages)}", param_hint="--language"
        )
    # A page's context (the language chosen, the organisation's name) without a browser.
    with current_app.test_request_context(f"/?lang={language}"):
        written = write_report(parsed, out, language)
    click.echo(f"Wrote {written.html} and {written.csv}.")

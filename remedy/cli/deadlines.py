"""``flask deadlines run``: the periodic deadline job, once.

The outbox worker (``flask worker``) runs it on a schedule; this runs it once by
hand (or from cron where no worker runs). A rerun repeats nothing.
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from remedy.cases.deadlines import run_deadlines


@click.group(help="Deadlines of open grievances and tracks.")
def deadlines() -> None:
    pass


@deadlines.command("run")
@with_appcontext
def run() -> None:
    """Flag overdue work, alert supervisors, tell complainants about delays; print what was done."""
    report = run_deadlines()
    click.echo(
        "Deadlines checked. "
        f"Newly overdue grievances: {report.grievances_overdue}; "
        f"newly overdue tracks: {report.tracks_overdue}; "
        f"unanswered questions sent back to screening: {report.info_requests_expired}; "
        f"follow-up check-ins sent: {report.follow_ups_opened}."
    )
    if report.conflicts:
        click.echo(f"{report.conflicts} changed while being checked; the next run takes them up.")

"""The supervisor view: reprisal alerts waiting, cases withdrawn out of fear, severe or
urgent cases with no senior reviewer named, complaints that keep coming back at one place,
overdue work, open work per handler, time per stage and outcomes; the last three also
as a CSV file (``supervisor.csv``).

Supervisors and auditors read it; it changes nothing. The figures and their source
are explained in :mod:`remedy.queue.workload`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Response, render_template, request
from flask_babel import gettext as _

from remedy.auth.sessions import roles_required
from remedy.cases.incident_log import open_alerts
from remedy.cases.recurrence import recent_alerts
from remedy.cases.withdrawal import withdrawn_in_fear
from remedy.console.queue import CHANNEL_LABELS, RISK_LABELS, SEVERITY_LABELS
from remedy.console.views import SUPERVISION, bp, current_actor
from remedy.core.errors import InvalidInput
from remedy.core.references import display
from remedy.models.types import utcnow
from remedy.queue.figures_csv import figures_csv
from remedy.queue.filters import OPEN_STATES, QueueFilters, SavedView, saved_view
from remedy.queue.search import search_grievances
from remedy.queue.workload import outcomes, time_per_stage, workload

WINDOWS = (30, 90, 365)
OVERDUE_SHOWN = 20


def _window() -> int:
    days_text = request.args.get("days", "90")
    if not days_text.isdigit() or int(days_text) not in WINDOWS:
        raise InvalidInput(_("Choose one of the options offered."), "days")
    return int(days_text)


@bp.route("/supervisor")
@roles_required(*SUPERVISION)
def supervisor() -> str:
    actor = current_actor()
    days = _window()
    overdue = search_grievances(actor, saved_view(actor, SavedView.OVERDUE), limit=OVERDUE_SHOWN)
    # Severe or urgent, no senior reviewer yet: the most urgent first.
    unreviewed = search_grievances(
        actor, QueueFilters(states=OPEN_STATES, needs_reviewer=True), limit=OVERDUE_SHOWN
    )
    return render_template(
        "console/supervisor.html",
        overdue=overdue,
        alerts=open_alerts(actor),
        withdrawn_in_fear=withdrawn_in_fear(actor, utcnow() - timedelta(days=days)),
        unreviewed=unreviewed,
        recurring=recent_alerts(actor),
        display=display,
        load=workload(actor),
        stages=time_per_stage(actor, timedelta(days=days)),
        outcomes=outcomes(actor, timedelta(days=days)),
        days=days,
        windows=WINDOWS,
        labels={"channels": CHANNEL_LABELS, "risks": RISK_LABELS, "severities": SEVERITY_LABELS},
    )


@bp.route("/supervisor.csv")
@roles_required(*SUPERVISION)
def supervisor_csv() -> Response:
    actor = current_actor()
    days = _window()
    window = timedelta(days=days)
    body = figures_csv(time_per_stage(actor, window), outcomes(actor, window), workload(actor))
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="remedy-figures-{days}-days.csv"',
            "Cache-Control": "no-store",
        },
    )

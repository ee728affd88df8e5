"""The trends page (``/console/trends``): counts of grievances by root cause, region,
organisation, channel and month over a period, as tables, and the same as CSV. The
figures and what they leave out are :mod:`remedy.queue.trends`.

Each table follows its chart (inline SVG, as on the public statistics page): the staff see
every count, small ones too, so nothing is suppressed here.
"""

from __future__ import annotations

import csv
import io

from flask import Response, abort, render_template, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from remedy.auth.sessions import roles_required
from remedy.console.learning import actor_now, bp
from remedy.console.queue import CHANNEL_LABELS
from remedy.core.i18n import current_language, text_direction
from remedy.models.types import utcnow
from remedy.queue import trends as figures
from remedy.statistics.charts import count_chart

READERS = tuple(figures.READERS)
TITLES: dict[str, LazyString] = {
    "root_cause": _l("By root cause"),
    "region": _l("By region"),
    "organisation": _l("By organisation involved"),
    "channel": _l("By channel"),
    "month": _l("By month received"),
}
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _figures() -> figures.Trends:
    actor = actor_now()
    if not figures.may_read_trends(actor):
        abort(403)
    period = figures.parse_period(request.args.get("from"), request.args.get("to"), utcnow().date())
    labels = {channel: str(label) for channel, label in CHANNEL_LABELS.items()}
    return figures.trends(actor, period, current_language(), labels)


@bp.route("/trends")
@roles_required(*READERS)
def trends() -> str:
    found = _figures()
    return render_template(
        "console/trends.html",
        trends=found,
        titles=TITLES,
        dimensions=figures.DIMENSIONS,
        charts=_charts(found),
    )


def _charts(found: figures.Trends) -> dict[str, Markup]:
    rtl = text_direction(current_language()) == "rtl"
    described = _("Grievances received in the period.")
    return {
        dimension: count_chart(
            "months" if dimension == "month" else f"trend-{dimension}",
            str(TITLES[dimension]),
            described,
            [(row.key, row.label, row.count) for row in found.tables[dimension]],
            rtl,
        )
        for dimension in figures.DIMENSIONS
        if found.tables[dimension]
    }


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@bp.route("/trends.csv")
@roles_required(*READERS)
def trends_csv() -> Response:
    found = _figures()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["dimension", "key", "label", "grievances", "from", "to"])
    start, end = found.period.start.isoformat(), found.period.end.isoformat()
    writer.writerow(["total", "", "", found.total, start, end])
    for dimension in figures.DIMENSIONS:
        for row in found.tables[dimension]:
            writer.writerow([dimension, _cell(row.key), _cell(row.label), row.count, start, end])
    name = f"remedy-trends-{start}-{end}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

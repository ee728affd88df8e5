"""Public statistics: what the mechanism received and how it ended, for anyone to read.

The page draws each table as a bar chart (inline SVG, no script) followed by the table
itself; ``/statistics.csv`` gives the same tables as one file. Both show only what
``remedy.statistics`` publishes: small numbers hidden, no person, place or words of
anyone (docs/statistics.md).
"""

from __future__ import annotations

from flask import Response, render_template

from channels.web import bp
from remedy.core.i18n import current_language, text_direction
from remedy.statistics import export
from remedy.statistics.charts import tables_context
from remedy.statistics.figures import compute


@bp.route("/statistics")
def statistics() -> str:
    rtl = text_direction(current_language()) == "rtl"
    return render_template("web/statistics.html", **tables_context(compute(), rtl))


@bp.route("/statistics.csv")
def statistics_csv() -> Response:
    figures = compute()
    return Response(
        export.as_csv(figures),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="statistics.csv"'},
    )

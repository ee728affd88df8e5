"""The oversight page: de-identified case timelines and the audit chain's state, for the
accounts of an oversight body (``Role.OVERSIGHT``), who open nothing else in the console.

The rules and the audit of every read live in :mod:`remedy.queue.oversight`; these views
parse the query string and render.
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l

from remedy.auth.sessions import roles_required
from remedy.console.queue import CHANNEL_LABELS, SEVERITY_LABELS
from remedy.console.views import NAV, NavLink, bp, current_actor
from remedy.core.i18n import current_language, text_direction
from remedy.models.grievance import Channel, Outcome
from remedy.models.user import Role
from remedy.queue import oversight
from remedy.statistics.charts import tables_context
from remedy.statistics.oversight_read import read_unsuppressed

NAV.append(NavLink("oversight", _l("Oversight"), "console.oversight", roles=(Role.OVERSIGHT,)))
NAV.append(
    NavLink("oversight_chain", _l("Audit log"), "console.oversight_chain", roles=(Role.OVERSIGHT,))
)
NAV.append(
    NavLink(
        "oversight_statistics",
        _l("Statistics"),
        "console.oversight_statistics",
        roles=(Role.OVERSIGHT,),
    )
)


def _page_url(filters: oversight.OversightFilters, page: int) -> str:
    described = filters.described()
    values: dict[str, Any] = {
        key: value for key, value in described.items() if value and key != "page"
    }
    return url_for("console.oversight", page=page, **values)


@bp.route("/oversight", endpoint="oversight")
@roles_required(Role.OVERSIGHT)
def oversight_cases() -> str:
    found = oversight.read_cases(current_actor(), oversight.filters_from(request.args))
    current = found.filters.page
    return render_template(
        "console/oversight.html",
        found=found,
        channels={channel.value: CHANNEL_LABELS[channel] for channel in Channel},
        severities=SEVERITY_LABELS,
        outcomes=[(outcome.value, outcome.label) for outcome in Outcome],
        still_open=oversight.STILL_OPEN,
        previous_url=_page_url(found.filters, current - 1) if current > 1 else None,
        next_url=_page_url(found.filters, current + 1) if current < found.pages else None,
    )


@bp.route("/oversight/audit-log")
@roles_required(Role.OVERSIGHT)
def oversight_chain() -> str:
    return render_template(
        "console/oversight_chain.html", status=oversight.chain_status(current_actor())
    )


@bp.route("/oversight/statistics")
@roles_required(Role.OVERSIGHT)
def oversight_statistics() -> str:
    rtl = text_direction(current_language()) == "rtl"
    figures = read_unsuppressed(current_actor())
    return render_template("console/oversight_statistics.html", **tables_context(figures, rtl))

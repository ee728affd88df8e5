"""The queue page: a GET form of filters over the grievances the signed-in person may see.

Works without JavaScript: every filter is a plain form field, every page of results a
link. A bad filter value shows the form again with what is wrong (400), never a 500.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from remedy.cases.incident_log import alerted_among
from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.settings import settings
from remedy.identity.visibility import may_change, may_see_reprisal_risk
from remedy.models.grievance import CATEGORY_TITLES, CHANNEL_TITLES, Channel, ReprisalRisk
from remedy.models.involvement_track import TrackKind
from remedy.models.user import Role
from remedy.queue.filters import (
    OPEN_STATES,
    QueueFilters,
    QueueOrder,
    SavedView,
    case_worker_choices,
    filters_from_args,
    organisation_choices,
    state_choices,
)
from remedy.queue.rows import QueuePage
from remedy.queue.search import search_grievances

CHANNEL_LABELS: dict[Channel, LazyString] = CHANNEL_TITLES
RISK_LABELS: dict[ReprisalRisk, LazyString] = {
    ReprisalRisk.NONE: _l("None recorded"),
    ReprisalRisk.LOW: _l("Low reprisal risk"),
    ReprisalRisk.HIGH: _l("High reprisal risk"),
}
SEVERITY_LABELS: dict[int, LazyString] = {
    1: _l("Low"),
    2: _l("Medium"),
    3: _l("High"),
    4: _l("Very high"),
}
ORDER_LABELS: dict[QueueOrder, LazyString] = {
    QueueOrder.PRIORITY: _l("Urgent first, then severity, then deadline"),
    QueueOrder.DUE: _l("Overdue first, then next deadline"),
    QueueOrder.NEWEST: _l("Newest first"),
}
VIEW_TITLES: dict[str | None, LazyString] = {
    None: _l("Queue"),
    SavedView.MINE.value: _l("My cases"),
    SavedView.OVERDUE.value: _l("Overdue"),
    SavedView.AWAITING.value: _l("Awaiting the complainant"),
}
VIEW_HINTS: dict[str | None, LazyString] = {
    None: _l("Open grievances you may see, the most urgent first."),
    SavedView.MINE.value: _l("Open grievances assigned to you."),
    SavedView.OVERDUE.value: _l("Open grievances with a deadline that has passed."),
    SavedView.AWAITING.value: _l(
        "Waiting for the complainant: to answer a question, a remedy proposal, or to say "
        "whether the remedy arrived."
    ),
}
WORKERS = (Role.HANDLER, Role.SUPERVISOR)


def _choices(actor: Actor) -> dict[str, Any]:
    intake_states, track_states = state_choices()
    return {
        "states": intake_states,
        "track_states": track_states,
        "track_kinds": [(kind.value, kind.label) for kind in TrackKind],
        "channels": [(channel.value, label) for channel, label in CHANNEL_LABELS.items()],
        # No reprisal-risk filter for the organisations' staff: it would tell as much.
        "risks": [(risk.value, label) for risk, label in RISK_LABELS.items()]
        if may_see_reprisal_risk(actor)
        else [],
        "severities": list(SEVERITY_LABELS.items()),
        "orders": [(order.value, label) for order, label in ORDER_LABELS.items()],
        "languages": list(settings().languages.items()),
        "organisations": organisation_choices(actor),
        "assignees": case_worker_choices(actor),
    }


def _page_url(**changes: str | None) -> str:
    """This page with the same filters; ``changes`` set (or, when None, drop) parameters."""
    values: dict[str, Any] = {key: request.args.getlist(key) for key in request.args}
    for key, value in changes.items():
        if value is None:
            values.pop(key, None)
        else:
            values[key] = value
    return url_for("console.home", **values)


def show_queue(actor: Actor) -> tuple[str, int]:
    view = request.args.get("view") or None
    error: InvalidInput | None = None
    filters, page = QueueFilters(states=OPEN_STATES), QueuePage()
    try:
        filters = filters_from_args(request.args, actor, default_states=OPEN_STATES)
        page = search_grievances(actor, filters, after=request.args.get("after") or None)
    except InvalidInput as exc:
        error = exc
    may_take = (
        actor.role in WORKERS
        and may_change(actor)
        and "console.assign" in current_app.view_functions
    )
    html = render_template(
        "console/queue.html",
        title=VIEW_TITLES.get(view, VIEW_TITLES[None]),
        hint=VIEW_HINTS.get(view, VIEW_HINTS[None]),
        view=view if view in VIEW_TITLES else None,
        filters=filters,
        page=page,
        error=error,
        args=request.args,
        choices=_choices(actor),
        labels={
            "channels": CHANNEL_LABELS,
            "risks": RISK_LABELS,
            "severities": SEVERITY_LABELS,
            "categories": CATEGORY_TITLES,
        },
        may_take=may_take,
        alerted=alerted_among(actor, [item.id for item in page.items]),
        me=actor.id,
        next_url=_page_url(after=page.next_cursor) if page.next_cursor else None,
        first_url=_page_url(after=None) if request.args.get("after") else None,
    )
    return html, 400 if error else 200

"""The team's queue: grievances an actor may see, filtered, searched and paged.

Order. ``priority`` (the default) puts urgent cases first (a confirmed urgency flag),
then the more severe (the highest factor, provisional at screening or assessed), then
runs as ``due`` within each rank: it sorts by ``Grievance.priority`` (kept in step by
``remedy.models.queue``) descending, then the deadline, then id. ``due`` puts the most
overdue work first, then what is due soonest, then work with no deadline (ended, or no
deadline in this jurisdiction); ties by id. It sorts by ``Grievance.next_due_at`` (the
earliest deadline of the grievance or its open tracks, see ``remedy.models.queue``); for
an organisation's staff, who see only their own track, by that track's deadline instead,
so the order never reveals another organisation's work. ``newest`` sorts by when grievances were
received. Reprisal risk is shown and filtered on, not sorted by.

Filters on tracks read the grievance's ``track_tags`` (what its tracks are), or, for an
organisation's staff, their own joined track: never a probe of the tracks table per row.

Paging is by keyset, never by offset: the cursor holds the last row's sort key and id,
so every page costs the same however deep it is, and rows filed meanwhile do not shift
pages. The cursor is opaque to callers (see ``remedy.queue.cursor``).

What the filters are and how a query string becomes them: ``remedy.queue.filters``;
the text search: ``remedy.queue.text_search``; the rows shown: ``remedy.queue.rows``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import aliased

from remedy.core.actors import Actor
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.identity.visibility import may_see_reprisal_risk, visible_grievances
from remedy.models.grievance import SEVERE_FROM, Grievance
from remedy.models.involvement_track import InvolvementTrack
from remedy.models.queue import track_tag
from remedy.models.types import utcnow
from remedy.queue.cursor import Cursor
from remedy.queue.filters import QueueFilters, QueueOrder, own_organisation
from remedy.queue.rows import QueuePage, queue_items
from remedy.queue.text_search import text_condition
from remedy.workflows.states import IntakeState, TrackState

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Track states in which the next move is the complainant's: answering a proposal, confirming.
WAITING_TRACK_STATES = (TrackState.PROPOSED, TrackState.VERIFYING)
# An organisation's staff: their own track, joined to sort and filter by (an alias, so the
# visibility rule's EXISTS on tracks still correlates to the grievance alone).
OWN_TRACK = aliased(InvolvementTrack, name="own_track")


def _has_tag(name: str, value: object) -> ColumnElement[bool]:
    return Grievance.track_tags.contains(track_tag(name, value), autoescape=True)


def _track_conditions(actor: Actor, filters: QueueFilters) -> list[ColumnElement[bool]]:
    """Filters on tracks: an organisation's staff on their own (joined) track; everyone else
    on the tracks' tags, each filter asking whether some track of the grievance matches."""
    own = own_organisation(actor) is not None
    found: list[ColumnElement[bool]] = []
    if filters.track_kind is not None:
        kind = filters.track_kind
        found.append(OWN_TRACK.kind == kind if own else _has_tag("kind", kind.value))
    if filters.track_states:
        states = filters.track_states
        found.append(
            OWN_TRACK.state.in_(states)
            if own
            else or_(*(_has_tag("state", state) for state in states))
        )
    if filters.organisation_id is not None:
        organisation = filters.organisation_id
        found.append(
            OWN_TRACK.organisation_id == organisation if own else _has_tag("org", organisation)
        )
    if filters.awaiting_complainant:
        if own:
            waiting: ColumnElement[bool] = OWN_TRACK.state.in_(WAITING_TRACK_STATES)
        else:
            waiting = or_(*(_has_tag("state", state) for state in WAITING_TRACK_STATES))
        found.append(
            or_(
                Grievance.state == IntakeState.AWAITING_COMPLAINANT,
                and_(Grievance.state == IntakeState.IN_REMEDY, waiting),
            )
        )
    return found


def _conditions(actor: Actor, filters: QueueFilters, now: datetime) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if filters.states:
        found.append(Grievance.state.in_(filters.states))
    found += _track_conditions(actor, filters)
    if filters.overdue:
        found.append(_sort_key(actor, QueueOrder.DUE) <= now)
    if filters.min_severity is not None:
        level = filters.min_severity
        found.append(
            or_(
                Grievance.severity_scale >= level,
                Grievance.severity_scope >= level,
                Grievance.severity_irremediability >= level,
            )
        )
    if filters.reprisal_risk:
        found.append(Grievance.reprisal_risk.in_(filters.reprisal_risk))
    if filters.channel is not None:
        found.append(Grievance.channel == filters.channel)
    if filters.language is not None:
        found.append(Grievance.language == filters.language)
    if filters.assignee_id is not None:
        found.append(Grievance.assigned_user_id == filters.assignee_id)
    if filters.unassigned:
        found.append(Grievance.assigned_user_id.is_(None))
    if filters.text and filters.text.strip():
        found.append(text_condition(filters.text))
    if filters.needs_reviewer:
        # priority >= SEVERE_FROM: an urgent flag (rank 5 and up) or a factor rated high.
        found.append(Grievance.priority >= SEVERE_FROM)
        found.append(Grievance.reviewer_user_id.is_(None))
    return found


def _sort_key(actor: Actor, order: QueueOrder) -> Any:
    if order is QueueOrder.NEWEST:
        return Grievance.received_at
    return due_key(actor)


def due_key(actor: Actor) -> Any:
    """The deadline this actor's queue runs by (see the module docstring); use with scoped()."""
    if own_organisation(actor) is not None:
        return OWN_TRACK.due_at
    return Grievance.next_due_at


def scoped(actor: Actor, *columns: Any) -> Select[Any]:
    """A select from grievances this actor may see, joined to their own track if they have one."""
    own = own_organisation(actor)
    query = select(*columns).select_from(Grievance)
    if own is not None:
        # One track per organisation and grievance (a unique constraint): one row each.
        query = query.join(
            OWN_TRACK,
            and_(OWN_TRACK.grievance_id == Grievance.id, OWN_TRACK.organisation_id == own),
        )
    return query.where(visible_grievances(actor))


Row = tuple[int, datetime | None, int]


def _priority_ids(base: Select[Any], key: Any, after: Cursor | None, limit: int) -> list[Row]:
    """Priority order: rank descending, then as the due order within a rank (deadline first,
    NULLS LAST, then id). The cursor holds the last rank, deadline and id."""
    rank = Grievance.priority
    query = base.add_columns(rank)
    if after is not None:
        if after.key is not None:
            later = or_(
                key > after.key, and_(key == after.key, Grievance.id > after.id), key.is_(None)
            )
        else:
            later = and_(key.is_(None), Grievance.id > after.id)
        query = query.where(rank <= after.rank, or_(rank < after.rank, later))
    query = query.order_by(rank.desc(), key.asc().nulls_last(), Grievance.id.asc()).limit(limit)
    return [(row[0], row[1], row[2]) for row in db.session.execute(query)]


def _page_ids(
    actor: Actor,
    filters: QueueFilters,
    after: Cursor | None,
    limit: int,
    now: datetime,
) -> list[Row]:
    """Ids, sort keys (and ranks) of the next ``limit`` rows after the cursor, in queue order."""
    key = _sort_key(actor, filters.order)
    base = scoped(actor, Grievance.id, key).where(*_conditions(actor, filters, now))
    if filters.order is QueueOrder.PRIORITY:
        return _priority_ids(base, key, after, limit)
    if filters.order is QueueOrder.NEWEST:
        query = base
        if after is not None:
            # key <= k narrows the index range; the rest breaks ties by id.
            query = query.where(key <= after.key, or_(key < after.key, Grievance.id < after.id))
        query = query.order_by(key.desc(), Grievance.id.desc()).limit(limit)
        return [(row[0], row[1], 0) for row in db.session.execute(query)]
    # Due order: rows with a deadline first (ascending), then rows without one, by id. The
    # first page is one walk of the index in its own order (NULLS LAST); a later page is a
    # range scan of the dated rows after the cursor, then of the undated ones if needed.
    if after is None:
        first = base.order_by(key.asc().nulls_last(), Grievance.id.asc()).limit(limit)
        return [(row[0], row[1], 0) for row in db.session.execute(first)]
    rows: list[Row] = []
    if after.key is not None:
        dated = base.where(key >= after.key, or_(key > after.key, Grievance.id > after.id))
        dated = dated.order_by(key.asc(), Grievance.id.asc()).limit(limit)
        rows = [(row[0], row[1], 0) for row in db.session.execute(dated)]
    if len(rows) < limit:
        undated = base.where(key.is_(None))
        if after.key is None:
            undated = undated.where(Grievance.id > after.id)
        undated = undated.order_by(Grievance.id.asc()).limit(limit - len(rows))
        rows += [(row[0], None, 0) for row in db.session.execute(undated)]
    return rows


def search_grievances(
    actor: Actor, filters: QueueFilters, after: str | None = None, limit: int = DEFAULT_LIMIT
) -> QueuePage:
    """One page of the queue as ``actor`` may see it, and the cursor of the next page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("Ask for between 1 and %(count)d rows.", count=MAX_LIMIT), "limit")
    if filters.reprisal_risk and not may_see_reprisal_risk(actor):
        # A filter would tell as much as the column: which cases someone fears for.
        raise InvalidInput(
            _("Only the mechanism's own staff see reprisal risk: remove this filter."),
            "reprisal_risk",
        )
    cursor = Cursor.decode(after, filters.order) if after else None
    now = utcnow()
    rows = _page_ids(actor, filters, cursor, limit + 1, now)
    more = len(rows) > limit
    rows = rows[:limit]
    items = queue_items(actor, [row[0] for row in rows], now)
    next_cursor = None
    if more and rows:
        last_id, last_key, last_rank = rows[-1]
        next_cursor = Cursor(filters.order, last_key, last_id, last_rank).encode()
    return QueuePage(items, next_cursor)

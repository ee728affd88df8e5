"""The team's queue: grievances an actor may see, filtered, searched and paged.

Order. ``due`` (the default) puts the most overdue work first, then what is due
soonest, then work with no deadline (ended, or no deadline in this jurisdiction);
ties by id. It sorts by ``Grievance.next_due_at`` (the earliest deadline of the
grievance or its open tracks, see ``remedy.models.queue``); for an organisation's
staff, who see only their own track, by that track's deadline instead, so the order
never reveals another organisation's work. ``newest`` sorts by when grievances were
received. Severity and reprisal risk are shown and filtered on, not sorted by: an order
that mixes the clock ("overdue now") with a stored column cannot walk an index.

Filters on tracks read the grievance's ``track_tags`` (what its tracks are), or, for an
organisation's staff, their own joined track: never a probe of the tracks table per row.

Paging is by keyset, never by offset: the cursor holds the last row's sort key and id,
so every page costs the same however deep it is, and rows filed meanwhile do not shift
pages. The cursor is opaque to callers (URL-safe base64 of a small JSON document).

Search (``text``) finds a reference (as displayed, with spaces or dashes), a pseudonym
(with or without its ``P-``), a category (by its name in the reader's language) or a
place (whole words, through the blind index in ``remedy.identity.place_index``).
Nothing here reads or returns a name, a phone number or a description: the queue shows
pseudonyms only.
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    false,
    or_,
    select,
    union,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from remedy.core.actors import Actor, ActorKind
from remedy.core.errors import InvalidInput
from remedy.core.extensions import db
from remedy.core.references import display, is_valid, normalise
from remedy.identity.place_index import matching_place
from remedy.identity.visibility import visible_grievances
from remedy.models.grievance import CATEGORY_TITLES, Category, Channel, Grievance, ReprisalRisk
from remedy.models.grievance_person import GrievancePerson, PersonRole
from remedy.models.involvement_track import InvolvementTrack, TrackKind
from remedy.models.organisation import Organisation, OrganisationKind
from remedy.models.person import PSEUDONYM_ALPHABET, Person
from remedy.models.queue import track_tag
from remedy.models.types import utcnow
from remedy.models.user import Role, User
from remedy.workflows import CAUSE, CONTRIBUTE, DIRECTLY_LINKED, INTAKE

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_TEXT = 200
MAX_MATCHES = 20_000
INTAKE_STATES = tuple(state.name for state in INTAKE.states)
OPEN_STATES = tuple(state.name for state in INTAKE.states if not state.ended)
ENDED_STATES = tuple(state.name for state in INTAKE.states if state.ended)
TRACK_STATES = tuple(
    dict.fromkeys(
        state.name for flow in (CAUSE, CONTRIBUTE, DIRECTLY_LINKED) for state in flow.states
    )
)
# Track states in which the next move is the complainant's: answering a proposal, confirming.
WAITING_TRACK_STATES = ("proposed", "verifying")
# An organisation's staff: their own track, joined to sort and filter by (an alias, so the
# visibility rule's EXISTS on tracks still correlates to the grievance alone).
OWN_TRACK = aliased(InvolvementTrack, name="own_track")


class QueueOrder(enum.StrEnum):
    DUE = "due"
    NEWEST = "newest"


class SavedView(enum.StrEnum):
    MINE = "mine"
    OVERDUE = "overdue"
    AWAITING = "awaiting"


@dataclass(frozen=True)
class QueueFilters:
    """Every field narrows the queue; the defaults narrow nothing (all states)."""

    states: tuple[str, ...] = ()
    track_kind: TrackKind | None = None
    track_states: tuple[str, ...] = ()
    overdue: bool = False
    min_severity: int | None = None
    reprisal_risk: tuple[ReprisalRisk, ...] = ()
    channel: Channel | None = None
    language: str | None = None
    organisation_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    awaiting_complainant: bool = False
    text: str | None = None
    order: QueueOrder = QueueOrder.DUE


@dataclass(frozen=True)
class QueueTrack:
    id: int
    kind: TrackKind
    state: str
    state_label: str
    organisation_id: int
    organisation_name: str
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class QueueItem:
    """One row of the queue: what a list may show, and nothing that names anyone."""

    id: int
    reference: str
    state: str
    state_label: str
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    severity: int | None
    reprisal_risk: ReprisalRisk
    identity_withheld: bool
    channel: Channel
    language: str
    category: Category | None
    assignee_id: int | None
    assignee_label: str | None
    version: int
    pseudonyms: tuple[str, ...] = ()
    tracks: tuple[QueueTrack, ...] = ()

    @property
    def display_reference(self) -> str:
        return display(self.reference)

    @property
    def track_kinds(self) -> tuple[TrackKind, ...]:
        return tuple(dict.fromkeys(track.kind for track in self.tracks))


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem] = field(default_factory=list)
    next_cursor: str | None = None


# Who sees what -------------------------------------------------------------------------------


def _own_organisation(actor: Actor) -> int | None:
    """An organisation's staff see their own track only; None for everyone else."""
    if actor.kind is ActorKind.STAFF and actor.organisation_id is not None:
        return actor.organisation_id
    return None


def _user_id(actor: Actor) -> int | None:
    if actor.kind in (ActorKind.STAFF, ActorKind.PROXY) and actor.id and actor.id.isdigit():
        return int(actor.id)
    return None


def saved_view(actor: Actor, name: SavedView) -> QueueFilters:
    """The presets behind the console's "My cases", "Overdue" and "Awaiting the complainant"."""
    if name is SavedView.MINE:
        return QueueFilters(states=OPEN_STATES, assignee_id=_user_id(actor) or -1)
    if name is SavedView.OVERDUE:
        return QueueFilters(states=OPEN_STATES, overdue=True)
    return QueueFilters(states=OPEN_STATES, awaiting_complainant=True)


# Text search ----------------------------------------------------------------------------------


def _as_pseudonym(text: str) -> str | None:
    compact = normalise(text).upper()
    body = compact.removeprefix("P") if len(compact) == 7 else compact
    if len(body) == 6 and all(char in PSEUDONYM_ALPHABET for char in body):
        return f"P-{body}"
    return None


def _categories_named(text: str) -> list[Category]:
    wanted = text.casefold()
    if len(wanted) < 3:
        return []
    return [
        category
        for category in Category
        if wanted in str(CATEGORY_TITLES[category]).casefold()
        or wanted == category.value.replace("_", " ")
    ]


def _text_matches(text: str) -> tuple[list[int] | Select[Any] | None, list[Category]]:
    """Grievance ids found by reference, pseudonym or place, and categories named.

    The ids are looked up first (each through its own index) and handed to the queue
    query as a list, so the database plans the page knowing how few they are; a search
    matching more than ``MAX_MATCHES`` grievances is left as a subquery.
    """
    text = " ".join(text.split())[:MAX_TEXT]
    selective: list[Select[Any]] = []
    reference = normalise(text)
    if is_valid(reference):
        selective.append(select(Grievance.id).where(Grievance.reference == reference))
    pseudonym = _as_pseudonym(text)
    if pseudonym is not None:
        selective.append(
            select(GrievancePerson.grievance_id)
            .join(Person, Person.id == GrievancePerson.person_id)
            .where(Person.pseudonym == pseudonym)
        )
    place = matching_place(text)
    if place is not None:
        selective.append(place)
    categories = _categories_named(text)
    if not selective:
        return None, categories
    found = selective[0] if len(selective) == 1 else union(*selective)
    ids = list(db.session.scalars(select(found.subquery().c[0]).limit(MAX_MATCHES + 1)))
    if len(ids) > MAX_MATCHES:
        return select(found.subquery().c[0]), categories
    return ids, categories


def _among(ids: list[int] | Select[Any]) -> ColumnElement[bool]:
    """``Grievance.id`` in these; on PostgreSQL a list goes as one array parameter, which
    the planner checks with a hash as it walks an index."""
    if isinstance(ids, list) and db.session.get_bind().dialect.name == "postgresql":
        return Grievance.id == any_(bindparam("found_ids", ids, type_=ARRAY(Integer)))
    return Grievance.id.in_(ids)


def _text_condition(text: str) -> ColumnElement[bool]:
    found, categories = _text_matches(text)
    conditions: list[ColumnElement[bool]] = []
    if found is not None and (not isinstance(found, list) or found):
        conditions.append(_among(found))
    if categories:
        conditions.append(Grievance.category.in_(categories))
    if not conditions:
        return false()
    return conditions[0] if len(conditions) == 1 else or_(*conditions)


# The query --------------------------------------------------------------------------------------


def _has_tag(name: str, value: object) -> ColumnElement[bool]:
    return Grievance.track_tags.contains(track_tag(name, value), autoescape=True)


def _track_conditions(actor: Actor, filters: QueueFilters) -> list[ColumnElement[bool]]:
    """Filters on tracks: an organisation's staff on their own (joined) track; everyone else
    on the tracks' tags, each filter asking whether some track of the grievance matches."""
    own = _own_organisation(actor) is not None
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
                Grievance.state == "awaiting_complainant",
                and_(Grievance.state == "in_remedy", waiting),
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
        found.append(_text_condition(filters.text))
    return found


def _sort_key(actor: Actor, order: QueueOrder) -> Any:
    if order is QueueOrder.NEWEST:
        return Grievance.received_at
    return due_key(actor)


def due_key(actor: Actor) -> Any:
    """The deadline this actor's queue runs by (see the module docstring); use with scoped()."""
    if _own_organisation(actor) is not None:
        return OWN_TRACK.due_at
    return Grievance.next_due_at


def scoped(actor: Actor, *columns: Any) -> Select[Any]:
    """A select from grievances this actor may see, joined to their own track if they have one."""
    own = _own_organisation(actor)
    query = select(*columns).select_from(Grievance)
    if own is not None:
        # One track per organisation and grievance (a unique constraint): one row each.
        query = query.join(
            OWN_TRACK,
            and_(OWN_TRACK.grievance_id == Grievance.id, OWN_TRACK.organisation_id == own),
        )
    return query.where(visible_grievances(actor))


# Cursors ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    order: QueueOrder
    key: datetime | None
    id: int

    def encode(self) -> str:
        data = {
            "o": self.order.value,
            "k": self.key.isoformat() if self.key else None,
            "i": self.id,
        }
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str, order: QueueOrder) -> Cursor:
        problem = InvalidInput(_("This page link is not valid any more. Start again."), "after")
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            data = json.loads(raw)
            key = datetime.fromisoformat(data["k"]) if data["k"] is not None else None
            cursor = cls(QueueOrder(data["o"]), key, int(data["i"]))
        except (binascii.Error, ValueError, TypeError, KeyError, OverflowError) as exc:
            raise problem from exc
        if cursor.order is not order or (key is not None and key.tzinfo is None):
            raise problem
        if not 0 <= cursor.id < 2**63:
            raise problem
        if order is QueueOrder.NEWEST and key is None:
            raise problem
        return cursor


def _page_ids(
    actor: Actor,
    filters: QueueFilters,
    after: Cursor | None,
    limit: int,
    now: datetime,
) -> list[tuple[int, datetime | None]]:
    """Ids and sort keys of the next ``limit`` rows after the cursor, in queue order."""
    key = _sort_key(actor, filters.order)
    base = scoped(actor, Grievance.id, key).where(*_conditions(actor, filters, now))
    if filters.order is QueueOrder.NEWEST:
        query = base
        if after is not None:
            # key <= k narrows the index range; the rest breaks ties by id.
            query = query.where(key <= after.key, or_(key < after.key, Grievance.id < after.id))
        query = query.order_by(key.desc(), Grievance.id.desc()).limit(limit)
        return [(row[0], row[1]) for row in db.session.execute(query)]
    # Due order: rows with a deadline first (ascending), then rows without one, by id. The
    # first page is one walk of the index in its own order (NULLS LAST); a later page is a
    # range scan of the dated rows after the cursor, then of the undated ones if needed.
    if after is None:
        first = base.order_by(key.asc().nulls_last(), Grievance.id.asc()).limit(limit)
        return [(row[0], row[1]) for row in db.session.execute(first)]
    rows: list[tuple[int, datetime | None]] = []
    if after.key is not None:
        dated = base.where(key >= after.key, or_(key > after.key, Grievance.id > after.id))
        dated = dated.order_by(key.asc(), Grievance.id.asc()).limit(limit)
        rows = [(row[0], row[1]) for row in db.session.execute(dated)]
    if len(rows) < limit:
        undated = base.where(key.is_(None))
        if after.key is None:
            undated = undated.where(Grievance.id > after.id)
        undated = undated.order_by(Grievance.id.asc()).limit(limit - len(rows))
        rows += [(row[0], None) for row in db.session.execute(undated)]
    return rows


def search_grievances(
    actor: Actor, filters: QueueFilters, after: str | None = None, limit: int = DEFAULT_LIMIT
) -> QueuePage:
    """One page of the queue as ``actor`` may see it, and the cursor of the next page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(_("Ask for between 1 and %(count)d rows.", count=MAX_LIMIT), "limit")
    cursor = Cursor.decode(after, filters.order) if after else None
    now = utcnow()
    rows = _page_ids(actor, filters, cursor, limit + 1, now)
    more = len(rows) > limit
    rows = rows[:limit]
    items = _items(actor, [grievance_id for grievance_id, _key in rows], now)
    next_cursor = None
    if more and rows:
        last_id, last_key = rows[-1]
        next_cursor = Cursor(filters.order, last_key, last_id).encode()
    return QueuePage(items, next_cursor)


# Rows -----------------------------------------------------------------------------------------


def _label(workflow_states: dict[str, str], state: str) -> str:
    return workflow_states.get(state, state)


def _state_labels() -> tuple[dict[str, str], dict[str, str]]:
    intake = {state.name: str(state.label) for state in INTAKE.states}
    tracks: dict[str, str] = {}
    for flow in (CAUSE, CONTRIBUTE, DIRECTLY_LINKED):
        for state in flow.states:
            tracks.setdefault(state.name, str(state.label))
    return intake, tracks


def state_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(value, translated label) of every intake state and every track state."""
    intake, tracks = _state_labels()
    return list(intake.items()), list(tracks.items())


def _items(actor: Actor, ids: Sequence[int], now: datetime) -> list[QueueItem]:
    if not ids:
        return []
    own = _own_organisation(actor)
    intake_labels, track_labels = _state_labels()
    grievances = {
        row.id: row
        for row in db.session.execute(
            select(
                Grievance.id,
                Grievance.reference,
                Grievance.state,
                Grievance.received_at,
                Grievance.due_at,
                Grievance.overdue_at,
                Grievance.next_due_at,
                Grievance.severity_scale,
                Grievance.severity_scope,
                Grievance.severity_irremediability,
                Grievance.reprisal_risk,
                Grievance.identity_withheld,
                Grievance.channel,
                Grievance.language,
                Grievance.category,
                Grievance.assigned_user_id,
                Grievance.version,
            ).where(Grievance.id.in_(ids))
        )
    }
    tracks: dict[int, list[QueueTrack]] = {}
    track_query = (
        select(
            InvolvementTrack.grievance_id,
            InvolvementTrack.id,
            InvolvementTrack.kind,
            InvolvementTrack.state,
            InvolvementTrack.organisation_id,
            Organisation.name,
            InvolvementTrack.due_at,
            InvolvementTrack.ended_at,
        )
        .join(Organisation, Organisation.id == InvolvementTrack.organisation_id)
        .where(InvolvementTrack.grievance_id.in_(ids))
        .order_by(InvolvementTrack.id)
    )
    if own is not None:
        track_query = track_query.where(InvolvementTrack.organisation_id == own)
    for track in db.session.execute(track_query):
        due = track.due_at if track.ended_at is None else None
        tracks.setdefault(track.grievance_id, []).append(
            QueueTrack(
                id=track.id,
                kind=track.kind,
                state=track.state,
                state_label=_label(track_labels, track.state),
                organisation_id=track.organisation_id,
                organisation_name=track.name,
                due_at=due,
                overdue=due is not None and due <= now,
            )
        )
    pseudonyms: dict[int, list[str]] = {}
    for grievance_id, pseudonym in db.session.execute(
        select(GrievancePerson.grievance_id, Person.pseudonym)
        .join(Person, Person.id == GrievancePerson.person_id)
        .where(GrievancePerson.grievance_id.in_(ids))
        .order_by(GrievancePerson.role != PersonRole.COMPLAINANT, Person.id)
    ):
        pseudonyms.setdefault(grievance_id, []).append(pseudonym)
    assignee_ids = {row.assigned_user_id for row in grievances.values()} - {None}
    assignees = user_labels(assignee_ids)
    items = []
    for grievance_id in ids:
        row = grievances[grievance_id]
        mine = tracks.get(grievance_id, [])
        # An organisation's staff: their own track's deadline, as the queue is sorted for them.
        due = (mine[0].due_at if mine else None) if own is not None else row.next_due_at
        severities = [
            value
            for value in (row.severity_scale, row.severity_scope, row.severity_irremediability)
            if value is not None
        ]
        items.append(
            QueueItem(
                id=row.id,
                reference=row.reference,
                state=row.state,
                state_label=_label(intake_labels, row.state),
                received_at=row.received_at,
                due_at=due,
                overdue=due is not None and due <= now,
                severity=max(severities) if severities else None,
                reprisal_risk=row.reprisal_risk,
                identity_withheld=row.identity_withheld,
                channel=row.channel,
                language=row.language,
                category=row.category,
                assignee_id=row.assigned_user_id,
                assignee_label=assignees.get(row.assigned_user_id),
                version=row.version,
                pseudonyms=tuple(pseudonyms.get(grievance_id, [])),
                tracks=tuple(mine),
            )
        )
    return items


def user_labels(user_ids: set[int]) -> dict[int, str]:
    """How team members are named in lists: their display name, else their work e-mail."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(User.id, User.display_name, User.email).where(User.id.in_(user_ids))
    )
    return {row.id: row.display_name or row.email for row in rows}


# Reading filters from a query string ------------------------------------------------------------


class QueryArgs(Protocol):
    def get(self, key: str) -> str | None: ...

    def getlist(self, key: str) -> list[str]: ...


def _flag(args: QueryArgs, name: str) -> bool:
    value = (args.get(name) or "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise InvalidInput(_("Choose yes or no."), name)


def _choice(args: QueryArgs, name: str, choices: Sequence[str]) -> str | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if value not in choices:
        raise InvalidInput(_("Choose one of the options offered."), name)
    return value


def _choices(args: QueryArgs, name: str, choices: Sequence[str]) -> tuple[str, ...]:
    values = [value.strip() for value in args.getlist(name) if value.strip()]
    unknown = [value for value in values if value not in choices]
    if unknown:
        raise InvalidInput(_("Choose one of the options offered."), name)
    return tuple(dict.fromkeys(values))


def _number(args: QueryArgs, name: str, low: int, high: int) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(_("Give a number from %(low)d to %(high)d.", low=low, high=high), name)
    return int(value)


STATE_GROUPS = {"open": OPEN_STATES, "ended": ENDED_STATES, "any": ()}
RISK_GROUPS = {"recorded": (ReprisalRisk.LOW, ReprisalRisk.HIGH)}


def filters_from_args(
    args: QueryArgs, actor: Actor, default_states: tuple[str, ...] = ()
) -> QueueFilters:
    """Filters from a query string (the console's GET form, the API's list endpoint).

    ``state`` takes intake states, or ``open``, ``ended`` or ``any``; ``risk`` takes
    levels or ``recorded`` (low or high); ``assignee`` a user id, ``me`` or ``none``;
    ``view`` a saved view, whose presets the other fields refine. Bad values raise
    :class:`InvalidInput` naming the field, never a server error.
    """
    view = _choice(args, "view", [item.value for item in SavedView])
    base = saved_view(actor, SavedView(view)) if view else QueueFilters(states=default_states)
    states: tuple[str, ...] = base.states
    chosen = _choices(args, "state", [*INTAKE_STATES, *STATE_GROUPS])
    if chosen:
        expanded: list[str] = []
        for value in chosen:
            expanded += STATE_GROUPS.get(value, (value,))
        states = () if "any" in chosen else tuple(dict.fromkeys(expanded))
    risks: list[ReprisalRisk] = []
    for value in _choices(args, "risk", [*(r.value for r in ReprisalRisk), *RISK_GROUPS]):
        risks += RISK_GROUPS[value] if value in RISK_GROUPS else (ReprisalRisk(value),)
    assignee = (args.get("assignee") or "").strip().lower()
    assignee_id, unassigned = base.assignee_id, base.unassigned
    if assignee == "me":
        assignee_id = _user_id(actor) or -1
    elif assignee == "none":
        assignee_id, unassigned = None, True
    elif assignee:
        assignee_id = _number(args, "assignee", 1, 2**31 - 1)
    kind = _choice(args, "track_kind", [kind.value for kind in TrackKind])
    channel = _choice(args, "channel", [channel.value for channel in Channel])
    order = _choice(args, "order", [order.value for order in QueueOrder])
    text = (args.get("q") or "").strip()
    if len(text) > MAX_TEXT or not text.isprintable():
        raise InvalidInput(_("Search for at most %(count)d characters.", count=MAX_TEXT), "q")
    return replace(
        base,
        states=states,
        track_kind=TrackKind(kind) if kind else None,
        track_states=_choices(args, "track_state", TRACK_STATES),
        overdue=base.overdue or _flag(args, "overdue"),
        min_severity=_number(args, "severity", 1, 4),
        reprisal_risk=tuple(dict.fromkeys(risks)),
        channel=Channel(channel) if channel else None,
        language=_choice(args, "language", list(current_app.config["LANGUAGES"])),
        organisation_id=_number(args, "organisation", 1, 2**31 - 1),
        assignee_id=assignee_id,
        unassigned=unassigned,
        awaiting_complainant=base.awaiting_complainant or _flag(args, "awaiting"),
        text=text or None,
        order=QueueOrder(order) if order else QueueOrder.DUE,
    )


# Choices for filter forms -----------------------------------------------------------------------


def organisation_choices(actor: Actor) -> list[tuple[int, str]]:
    """Organisations a track can belong to, that this actor may filter by (their own only, for
    an organisation's staff: filtering by another would tell where that one is involved)."""
    own = _own_organisation(actor)
    query = select(Organisation.id, Organisation.name).where(
        Organisation.kind.in_((OrganisationKind.COMPANY, OrganisationKind.BUSINESS_PARTNER))
    )
    if own is not None:
        query = query.where(Organisation.id == own)
    return [(row.id, row.name) for row in db.session.execute(query.order_by(Organisation.name))]


def case_worker_choices(actor: Actor) -> list[tuple[int, str]]:
    """Active handlers and supervisors of the mechanism, and of the actor's own organisation."""
    same_organisation: ColumnElement[bool] = User.organisation_id.is_(None)
    own = actor.organisation_id if actor.kind is ActorKind.STAFF else None
    if own is not None:
        same_organisation = or_(same_organisation, User.organisation_id == own)
    rows = db.session.execute(
        select(User.id, User.display_name, User.email).where(
            User.active.is_(True),
            User.role.in_((Role.HANDLER, Role.SUPERVISOR)),
            same_organisation,
        )
    )
    return sorted(((row.id, row.display_name or row.email) for row in rows), key=lambda c: c[1])
